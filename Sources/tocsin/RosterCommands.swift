import ArgumentParser
import Foundation
import TocsinConfig
import TocsinCore

/// `tocsin roster …`: change who is on call while tocsind runs.
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Change who is on call while tocsind runs: overrides, stand-ins, swaps.",
        discussion: """
            Each change is in force at once for every page not yet sent, and recorded with who made it \
            and when. TIME is ISO 8601 (2026-11-24T09:00:00+08:00) or a span from now (8h, 90m, 2d).
            """,
        subcommands: [RosterChanges.self, RosterOverride.self, RosterStandIn.self, RosterSwap.self, RosterAccept.self, RosterCancel.self],
        defaultSubcommand: RosterChanges.self
    )
}

/// A time given on the command line: ISO 8601, or a span from now.
enum TimeArgument {
    static func date(_ text: String, now: Date = Date(), option: String) throws -> Date {
        if let date = UTCTime.date(text) { return date }
        if let span = DurationText.parse(text) { return now.addingTimeInterval(span.seconds) }
        throw ValidationError("\(option) \"\(text)\" is not a time; write 2026-11-24T09:00:00+08:00, or a span from now such as 8h or 90m.")
    }
}

/// `tocsin roster changes`
struct RosterChanges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "changes", abstract: "List the roster changes in force or to come.")

    @Flag(help: "Include changes that are over or withdrawn.")
    var all = false

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let changes = try TocsinJSON.decoder.decode([RosterChange].self, from: try await server.call("GET", "/api/v1/roster/changes\(all ? "?all=true" : "")"))
        guard !changes.isEmpty else {
            print("No roster changes; Contacts/ says who is on call.")
            return
        }
        print(RosterChangeTable(changes: changes).text)
    }
}

/// The changes as a table a person reads.
struct RosterChangeTable {
    var changes: [RosterChange]

    var text: String {
        let rows = changes.map { change in
            [String(change.id), change.status.rawValue, UTCTime.string(change.start), UTCTime.string(change.end), change.description,
             change.acceptedBy.map { "\(change.requestedBy), accepted by \($0)" } ?? change.requestedBy]
        }
        return TextTable(header: ["ID", "STATUS", "FROM (UTC)", "UNTIL (UTC)", "CHANGE", "BY"], rows: rows).text
    }
}

/// Sends one roster command and prints the change it made.
private func send(_ server: ServerOptions, _ path: String, _ body: [String: String]) async throws {
    let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    let change = try TocsinJSON.decoder.decode(RosterChange.self, from: try await server.call("POST", path, body: data))
    switch change.status {
    case .proposed: print("Proposed as change \(change.id): \(change). It takes effect once the other person runs `tocsin roster accept \(change.id)`.")
    case .inForce: print("In force as change \(change.id) from \(UTCTime.string(change.start)) until \(UTCTime.string(change.end)): \(change).")
    case .cancelled: print("Change \(change.id) withdrawn: \(change).")
    }
}

/// `tocsin roster override ROLE|rotation:ID --until TIME`
struct RosterOverride: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Put someone (you, by default) on a role or a rotation for a while.",
        discussion: "Allowed to the person put on it, the one it replaces, the role's primary and the leadership group."
    )

    @Argument(help: "A role such as fault_analyst, or rotation:ID.")
    var target: String

    @Flag(help: "Hold the role as its backup rather than its primary.")
    var backup = false

    @Option(help: "Who holds it (default: you).")
    var person: String?

    @OptionGroup var period: ChangePeriod

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var body = try period.fields()
        switch HolderReference(text: target) {
        case .rotation(let id): body["rotation"] = id
        case .person(let role):
            body["role"] = role
            body["holder"] = backup ? "backup" : "primary"
        }
        if let person { body["person"] = person }
        try await send(server, "/api/v1/roster/overrides", body)
    }
}

/// `tocsin roster stand-in --by PERSON --until TIME`
struct RosterStandIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stand-in",
        abstract: "Name who covers for you (or for --for PERSON) wherever you would be paged.",
        discussion: "Allowed to the person covered, the primary of a role they hold and the leadership group."
    )

    @Option(help: "Who stands in.")
    var by: String

    @Option(name: .customLong("for"), help: "Who is covered (default: you).")
    var person: String?

    @OptionGroup var period: ChangePeriod

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var body = try period.fields()
        body["stand_in"] = by
        if let person { body["person"] = person }
        try await send(server, "/api/v1/roster/stand-ins", body)
    }
}

/// `tocsin roster swap ROTATION --mine TIME --with PERSON --theirs TIME`
struct RosterSwap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap",
        abstract: "Offer your shift of a rotation for someone else's; in force once they accept."
    )

    @Argument(help: "The rotation's id.")
    var rotation: String

    @Option(help: "A moment within your shift.")
    var mine: String

    @Option(help: "Whom you swap with.")
    var with: String

    @Option(help: "A moment within their shift.")
    var theirs: String

    @Option(help: "Why, for the record.")
    var reason: String?

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var body = ["rotation": rotation, "with": with, "shift_at": UTCTime.string(try TimeArgument.date(mine, option: "--mine")),
                    "their_shift_at": UTCTime.string(try TimeArgument.date(theirs, option: "--theirs"))]
        if let reason { body["reason"] = reason }
        try await send(server, "/api/v1/roster/swaps", body)
    }
}

/// `tocsin roster accept ID`
struct RosterAccept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept a swap proposed to you.")

    @Argument(help: "The change's id, as `tocsin roster changes` lists it.")
    var id: Int64

    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await send(server, "/api/v1/roster/changes/\(id)/accept", [:])
    }
}

/// `tocsin roster cancel ID`
struct RosterCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Withdraw a roster change, or decline a swap proposed to you.")

    @Argument(help: "The change's id, as `tocsin roster changes` lists it.")
    var id: Int64

    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await send(server, "/api/v1/roster/changes/\(id)/cancel", [:])
    }
}

/// When an override or a stand-in holds, and why.
struct ChangePeriod: ParsableArguments {
    @Option(help: "From when (default: now).")
    var from: String?

    @Option(help: "Until when.")
    var until: String

    @Option(help: "Why, for the record.")
    var reason: String?

    /// The request's `start`, `end` and `reason`.
    func fields() throws -> [String: String] {
        var fields = ["end": UTCTime.string(try TimeArgument.date(until, option: "--until"))]
        if let from { fields["start"] = UTCTime.string(try TimeArgument.date(from, option: "--from")) }
        if let reason { fields["reason"] = reason }
        return fields
    }
}
