import ArgumentParser
import Foundation
import TocsinConfig
import TocsinCore

/// `tocsin oncall [ROLE] [--at TIME]`
struct OnCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oncall",
        abstract: "Show who holds each role now, or at another time.",
        discussion: """
            Reads the config and Contacts/ (rotations, overrides, stand-ins) directly, and with a token \
            asks tocsind for the roster changes made since (`tocsin roster`); the daemon need not run. \
            TIME is ISO 8601 with an offset, such as 2026-11-24T09:00:00+08:00.
            """
    )

    @Argument(help: "Only this role, such as fault_analyst.")
    var role: String?

    @Option(help: "The moment to look at (default: now).")
    var at: String?

    @OptionGroup var file: ConfigFile

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let settings = try file.load()
        var instant = Date()
        if let at {
            guard let parsed = UTCTime.date(at) else {
                throw ValidationError("--at \"\(at)\" is not a time; write it as 2026-11-24T09:00:00+08:00 or 2026-11-24T01:00:00Z.")
            }
            instant = parsed
        }
        var roles = settings.roster.roles.keys.sorted()
        if let role {
            guard settings.roster.roles[Role(role)] != nil else {
                throw ValidationError("No role \"\(role)\"; known roles: \(roles.map(\.rawValue).joined(separator: ", ")).")
            }
            roles = [Role(role)]
        }
        let live = await LiveRoster.roster(settings.roster, server: server)
        print("On call at \(UTCTime.string(instant)):")
        print(OnCallTable(roster: live.roster, at: instant, roles: roles).text)
        print(live.note)
    }
}

/// Who holds each role at an instant, with the person's local time and how they came to hold it.
struct OnCallTable {
    var roster: Roster
    var at: Date
    var roles: [Role]

    var text: String {
        var rows: [[String]] = []
        for role in roles {
            for holder in [Holder.primary, .backup] {
                let reference = holder == .primary ? roster.roles[role]!.primary : roster.roles[role]!.backup
                guard let onCall = roster.onCall(role, holder, at: at) else {
                    rows.append([role.rawValue, holder.rawValue, "NOBODY", "-", reference.description])
                    continue
                }
                let zone = TimeZone(identifier: onCall.person.timeZone) ?? .gmt
                let local = at.formatted(Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) \(weekday: .abbreviated)", timeZone: zone, calendar: Calendar(identifier: .gregorian)))
                let via = onCall.via.isEmpty ? "directly" : onCall.via.joined(separator: ", ")
                rows.append([role.rawValue, holder.rawValue, onCall.person.id, "\(local) \(onCall.person.timeZone)", via])
            }
        }
        return TextTable(header: ["ROLE", "HOLDER", "PERSON", "THEIR TIME", "VIA"], rows: rows).text
    }
}
