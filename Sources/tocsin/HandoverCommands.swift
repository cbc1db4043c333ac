import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin handover …`: shift handovers in writing, and handing over a role on one incident.
struct Handover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand a shift over in writing, acknowledge one, or hand a role on an incident to someone.",
        discussion: """
            The outgoing holder of a role writes the handover (matters in progress, done, to do; the open \
            incidents and their stages are filled in from the record); the incoming one acknowledges it. \
            Unacknowledged after the shift change, the incoming person is paged, then the role's backup. \
            `tocsin handover ID ROLE PERSON` hands a role on one incident over, as `tocsin handover incident` does.
            """,
        subcommands: [HandoverList.self, HandoverDraft.self, HandoverWrite.self, HandoverShow.self, HandoverAck.self, IncidentHandover.self],
        defaultSubcommand: IncidentHandover.self
    )
}

/// `tocsin handover list`
struct HandoverList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the handovers of the last day.")

    @Flag(help: "Every handover ever written.")
    var all = false

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let handovers = try TocsinJSON.decoder.decode([TocsinCore.Handover].self, from: try await server.call("GET", "/api/v1/handovers\(all ? "?all=true" : "")"))
        guard !handovers.isEmpty else {
            print("No handovers\(all ? "" : " in the last day").")
            return
        }
        let rows = handovers.map { handover in
            [String(handover.id), handover.role.rawValue, "\(handover.outgoing) → \(handover.incoming)", UTCTime.string(handover.shiftChange),
             handover.acknowledgedAt.map { "acknowledged \(UTCTime.string($0))" } ?? "due \(UTCTime.string(handover.acknowledgementDue))"]
        }
        print(TextTable(header: ["ID", "ROLE", "FROM → TO", "SHIFT CHANGE (UTC)", "ACKNOWLEDGEMENT"], rows: rows).text)
    }
}

/// `tocsin handover draft ROLE`
struct HandoverDraft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Show the handover you would write of a role now: who takes over, when, and the open incidents with their stage."
    )

    @Argument(help: "The role you hand over, such as fault_analyst.")
    var role: String

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let query = role.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? role
        print(HandoverText(try TocsinJSON.decoder.decode(TocsinCore.Handover.self, from: try await server.call("GET", "/api/v1/handovers/draft?role=\(query)"))).text)
    }
}

/// `tocsin handover write ROLE --in-progress TEXT --done TEXT --to-do TEXT --note ID=TEXT`
struct HandoverWrite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write the handover of a role you are handing over; the open incidents are listed for you.",
        discussion: "Each option may be given several times. Only the outgoing holder of the role may write it, once for a shift change."
    )

    @Argument(help: "The role you hand over, such as fault_analyst.")
    var role: String

    @Option(name: .customLong("in-progress"), help: "A matter in progress.")
    var inProgress: [String] = []

    @Option(help: "A matter done.")
    var done: [String] = []

    @Option(name: .customLong("to-do"), help: "An open to-do.")
    var toDo: [String] = []

    @Option(help: "A word on an open incident: ID=TEXT.")
    var note: [String] = []

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var notes: [String: String] = [:]
        for item in note {
            guard let equals = item.firstIndex(of: "="), Int64(item[..<equals]) != nil else {
                throw ValidationError("--note \"\(item)\" is not ID=TEXT, such as 12=waiting for the bank's file.")
            }
            notes[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        let body: [String: Any] = ["role": role, "in_progress": inProgress, "done": done, "to_do": toDo, "notes": notes]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let handover = try TocsinJSON.decoder.decode(TocsinCore.Handover.self, from: try await server.call("POST", "/api/v1/handovers", body: data))
        print("Handover \(handover.id) written; \(handover.incoming) acknowledges it with `tocsin handover ack \(handover.id)` by \(UTCTime.string(handover.acknowledgementDue)).")
        print(HandoverText(handover).text)
    }
}

/// `tocsin handover show ID`
struct HandoverShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a handover.")

    @Argument(help: "The handover's id.")
    var id: Int64

    @OptionGroup var server: ServerOptions

    func run() async throws {
        print(HandoverText(try TocsinJSON.decoder.decode(TocsinCore.Handover.self, from: try await server.call("GET", "/api/v1/handovers/\(id)"))).text)
    }
}

/// `tocsin handover ack ID`
struct HandoverAck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge the handover of the shift you take over.")

    @Argument(help: "The handover's id.")
    var id: Int64

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let handover = try TocsinJSON.decoder.decode(TocsinCore.Handover.self, from: try await server.call("POST", "/api/v1/handovers/\(id)/acknowledge"))
        print("Handover \(handover.id) of \(handover.role) from \(handover.outgoing) acknowledged at \(handover.acknowledgedAt.map(UTCTime.string) ?? "?").")
    }
}

/// A handover as a person reads it.
struct HandoverText {
    var handover: TocsinCore.Handover

    init(_ handover: TocsinCore.Handover) { self.handover = handover }

    var text: String {
        var lines = ["\(handover.role): \(handover.outgoing) hands over to \(handover.incoming) at \(UTCTime.string(handover.shiftChange))"]
        lines.append(handover.acknowledgedAt.map { "Acknowledged at \(UTCTime.string($0))." }
            ?? "To be acknowledged by \(UTCTime.string(handover.acknowledgementDue)).")
        for (title, items) in [("In progress", handover.inProgress), ("Done", handover.done), ("To do", handover.toDo)] {
            lines.append("\(title):" + (items.isEmpty ? " none" : ""))
            lines += items.map { "  - \($0)" }
        }
        lines.append("Open incidents:" + (handover.incidents.isEmpty ? " none" : ""))
        lines += handover.incidents.map { "  #\($0.id) [\($0.severity)] \($0.title) (\($0.stage.rawValue))" + ($0.note.map { ": \($0)" } ?? "") }
        return lines.joined(separator: "\n")
    }
}
