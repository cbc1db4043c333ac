import ArgumentParser
import Foundation

/// `tocsin update ID KIND TEXT`
struct Update: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Post a scheduled update: bulletin (technical coordinator), business (business group) or regulatory (report upward).",
        discussion: "Each update restarts its cadence. A missed update pages the role's backup, then leadership."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "bulletin, business or regulatory.") var kind: String
    @Argument(help: "The update's text.") var text: String
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "update", ["kind": kind, "text": text]) }
}

/// `tocsin note ID TEXT`
struct Note: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a note to the incident's timeline.")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The note.") var text: String
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "note", ["text": text]) }
}

/// `tocsin reconcile ID …`
struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record reconciliation figures; each option replaces the figure it names.",
        discussion: "Closing needs zero open discrepancies (found − resolved) or an exception signed off by leadership (`tocsin sign-off`)."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Option(help: "Transactions the fault touched.") var transactions: Int?
    @Option(help: "Their amount, e.g. 125000.50.") var amount: String?
    @Option(help: "ISO 4217 currency, e.g. CNY.") var currency: String?
    @Option(name: .customLong("channel"), help: "An affected channel; repeat for several.") var channels: [String] = []
    @Option(name: .customLong("bank"), help: "An affected bank; repeat for several.") var banks: [String] = []
    @Option(help: "Discrepancies found so far.") var found: Int?
    @Option(help: "Discrepancies resolved so far.") var resolved: Int?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        var fields: [String: Any] = [:]
        if let transactions { fields["affected_transactions"] = transactions }
        if let amount { fields["amount"] = amount }
        if let currency { fields["currency"] = currency }
        if !channels.isEmpty { fields["channels"] = channels }
        if !banks.isEmpty { fields["banks"] = banks }
        if let found { fields["discrepancies_found"] = found }
        if let resolved { fields["discrepancies_resolved"] = resolved }
        try await IncidentAction(server: server).post(id, "reconcile", fields)
    }
}

/// `tocsin sign-off ID REASON`
struct SignOff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign-off", abstract: "Sign off open discrepancies as an exception (leadership).")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "Why the open discrepancies are accepted.") var reason: String
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "sign-off", ["reason": reason]) }
}

/// `tocsin handover ID ROLE PERSON`
struct IncidentHandover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Hand a role on this incident to someone: commander, coordinator, business_lead or executor.",
        discussion: "Command is handed over only by the current commander or leadership, and the handover is recorded. `tocsin handover ID ROLE PERSON` says the same."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "commander, coordinator, business_lead or executor.") var role: String
    @Argument(help: "The person's id from Contacts/.") var person: String
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "handover", ["role": role, "to": person]) }
}

/// `tocsin checklist ID STEP`
struct Checklist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tick a step of the runbook's checklist (commander, executors); `tocsin status` shows the list.")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The step number.") var step: Int
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "checklist", ["step": step]) }
}
