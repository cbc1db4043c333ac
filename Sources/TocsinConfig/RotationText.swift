import Foundation
import TocsinCore

/// Reads one rotation from `rotations.yaml`.
///
/// ```yaml
/// commanders:
///   shift: daily            # hourly, daily or weekly
///   length: 1               # shifts of this many hours, days or weeks
///   handoff: "09:00"        # local time in `timezone`
///   handoff_day: monday     # weekly shifts only
///   timezone: Europe/London
///   start: 2026-11-02       # the first shift's day
///   members: [chen.wei, priya.raman]
///   overrides:
///     - {person: sam.okafor, start: 2026-11-24T09:00:00Z, end: 2026-11-25T09:00:00Z, replaces: chen.wei}
/// ```
enum RotationText {
    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func parse(id: String, _ node: ConfigNode, people: Set<String>, peopleFile: String) throws -> Rotation {
        let node = try node.allowingOnly(["shift", "length", "handoff", "handoff_day", "timezone", "start", "members", "overrides"])
        let length = try node["length"].int(default: 1)
        guard length >= 1 else { throw node["length"].error("at least 1, got \(length)") }
        let shiftName = try node["shift"].string()
        let shift: ShiftLength
        switch shiftName {
        case "hourly": shift = .hours(length)
        case "daily": shift = .days(length)
        case "weekly": shift = .weeks(length)
        default: throw node["shift"].error("expected hourly, daily or weekly, got \"\(shiftName)\"")
        }
        let handoffText = try node["handoff"].string(default: "09:00")
        guard let handoff = TimeOfDay(text: handoffText) else { throw node["handoff"].error("expected a local time such as 09:00, got \"\(handoffText)\"") }
        var weekday: Int?
        if node["handoff_day"].exists {
            let name = try node["handoff_day"].string().lowercased()
            guard case .weeks = shift else { throw node["handoff_day"].error("only weekly shifts have a handoff day") }
            guard let index = weekdays.firstIndex(of: name) else { throw node["handoff_day"].error("expected a day such as monday, got \"\(name)\"") }
            weekday = index + 1
        }
        let zoneName = try node["timezone"].string()
        guard let zone = TimeZone(identifier: zoneName) else { throw node["timezone"].error("\"\(zoneName)\" is not an IANA time zone such as Europe/London") }
        let startText = try node["start"].string()
        let parts = startText.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw node["start"].error("expected the first shift's day as YYYY-MM-DD, got \"\(startText)\"")
        }
        let members = try node["members"].items().map { item -> String in
            let id = try item.string()
            guard people.contains(id) else { throw item.error("no person \"\(id)\" in \(peopleFile)") }
            return id
        }
        guard !members.isEmpty else { throw node["members"].error("missing; a rotation needs at least one member") }
        let overrides = try node["overrides"].items().map { item -> Override in
            let item = try item.allowingOnly(["person", "start", "end", "replaces"])
            let person = try item["person"].string()
            guard people.contains(person) else { throw item["person"].error("no person \"\(person)\" in \(peopleFile)") }
            var replacing: String?
            if item["replaces"].exists {
                let member = try item["replaces"].string()
                guard members.contains(member) else { throw item["replaces"].error("\"\(member)\" is not a member of rotation \(id)") }
                replacing = member
            }
            let start = try item["start"].instant()
            let end = try item["end"].instant()
            guard end > start else { throw item["end"].error("ends before it starts") }
            return Override(person: person, start: start, end: end, replacing: replacing)
        }
        return Rotation(id: id, shiftLength: shift, handoff: handoff, handoffWeekday: weekday, timeZone: zone,
                        startDay: DateComponents(year: parts[0], month: parts[1], day: parts[2]), members: members, overrides: overrides)
    }
}

extension ConfigNode {
    /// An instant written in ISO 8601 with its offset: `2026-11-24T09:00:00+08:00` or `…Z`.
    func instant() throws -> Date {
        let text = try string()
        guard let date = UTCTime.date(text) else {
            throw error("expected a time with its offset such as 2026-11-24T09:00:00+08:00, got \"\(text)\"")
        }
        return date
    }
}
