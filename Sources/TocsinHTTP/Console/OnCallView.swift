import Foundation
import TocsinCore

/// `/on-call`, first part: who holds each role now, and a calendar of the next days with
/// each day's holders and the gaps where nobody can be paged, as the roster resolves them.
struct OnCallView {
    var schedule: OnCallSchedule
    var now: Date
    static let days = 14

    /// The schedule from the start of today (UTC) for `days` days.
    init(roster: Roster, now: Date) {
        let today = Self.utc.startOfDay(for: now)
        schedule = OnCallSchedule(roster: roster, from: today, to: today.addingTimeInterval(TimeInterval(Self.days) * 86_400))
        self.now = now
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    var html: HTML {
        let current = schedule.lines.map { line -> HTML in
            let spell = line.spells(from: now, to: now.addingTimeInterval(1)).first
            return "<tr><th scope=\"row\">\(line.role.rawValue)</th><td>\(line.holder.rawValue)</td>\(spell.map(nowCell) ?? "<td></td><td></td>")</tr>"
        }
        let days = (0..<Self.days).map { schedule.start.addingTimeInterval(TimeInterval($0) * 86_400) }
        let head = days.map { day -> HTML in "<th scope=\"col\"><time datetime=\"\(UTCTime.string(day).prefix(10))\">\(Self.dayName(day))</time></th>" }
        let rows = schedule.lines.map { line -> HTML in
            let cells = days.map { day in cell(line.spells(from: day, to: day.addingTimeInterval(86_400)), day: day) }
            return "<tr><th scope=\"row\">\(line.role.rawValue) <span class=\"quiet\">\(line.holder.rawValue)</span></th>\(cells)</tr>"
        }
        let gaps = schedule.lines.flatMap { line in line.spells.filter { $0.gap != nil }.map { (line, $0) } }
        let gapList: HTML = gaps.isEmpty ? "<p class=\"gate-open\">Every role has someone who can be paged for the next \(Self.days) days.</p>" : """
            <ul class="gaps">\(gaps.map { line, spell -> HTML in
                "<li><strong>\(line.role.rawValue) \(line.holder.rawValue)</strong>: \(Moments.text(spell.start)) to \(Moments.text(spell.end)): \(spell.gap ?? "")</li>"
            })</ul>
            """
        return """
            <h1>On call</h1>
            <section aria-labelledby="now-heading"><h2 id="now-heading">Now</h2>
            <table class="on-call-now"><thead><tr><th scope="col">Role</th><th scope="col">Holder</th><th scope="col">Person</th><th scope="col">How</th></tr></thead>
            <tbody>\(current)</tbody></table></section>
            <section aria-labelledby="calendar-heading"><h2 id="calendar-heading">The next \(Self.days) days (UTC)</h2>
            <div class="calendar-frame" tabindex="0" role="region" aria-labelledby="calendar-heading"><table class="calendar">
            <thead><tr><th scope="col">Role</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            <h3>Coverage gaps</h3>\(gapList)</section>
            """
    }

    private func nowCell(_ spell: OnCallSchedule.Spell) -> HTML {
        guard let onCall = spell.onCall, spell.gap == nil else {
            return "<td class=\"gap\">nobody</td><td>\(spell.gap ?? "")</td>"
        }
        return "<td><strong>\(onCall.person.id)</strong></td><td>\(onCall.via.isEmpty ? "directly" : onCall.via.joined(separator: ", "))</td>"
    }

    /// A day's holders: one name for a whole day, else each with the time (UTC) they take over.
    private func cell(_ spells: [OnCallSchedule.Spell], day: Date) -> HTML {
        let parts = spells.map { spell -> HTML in
            let from: HTML = spell.start > day ? "<span class=\"quiet\">\(Self.clock(spell.start))</span> " : .empty
            let via = spell.onCall?.via.filter { !$0.hasPrefix("rotation") } ?? []
            let name: HTML = if let gap = spell.gap {
                "<span class=\"gap\" title=\"\(gap)\">nobody</span>"
            } else {
                "\(spell.onCall?.person.id ?? "")\(via.isEmpty ? HTML.empty : " <span class=\"via\">(\(via.joined(separator: ", ")))</span>")"
            }
            return "<li>\(from)\(name)</li>"
        }
        let hasGap = spells.contains { $0.gap != nil }
        return "<td\(hasGap ? " class=\"has-gap\"" as HTML : .empty)><ul>\(parts)</ul></td>"
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Fri 15 Jan", in English whatever the server's locale, as the rest of the console.
    static func dayName(_ day: Date) -> String {
        let parts = utc.dateComponents([.weekday, .day, .month], from: day)
        return "\(weekdays[(parts.weekday ?? 1) - 1]) \(parts.day ?? 0) \(months[(parts.month ?? 1) - 1])"
    }

    static func clock(_ instant: Date) -> String {
        String(UTCTime.string(instant).dropFirst(11).prefix(5))
    }
}
