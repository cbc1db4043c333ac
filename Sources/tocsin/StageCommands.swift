import ArgumentParser
import Foundation
import TocsinCore
import TocsinPager

/// `tocsin status [ID]`
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show where an incident stands: stage, roles, plan, checklist; without an id, whether tocsind itself can work.",
        discussion: """
            Without an id, reads tocsind's /readyz and exits 1 when it is not ready, naming why; with a token, \
            also the last messages of Tocsin's fallback alarm and whom they reached.
            """
    )
    @Argument(help: "The incident id.") var id: Int64?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        guard let id else { return try await daemonStatus() }
        print(Standing.describe(try await server.call("GET", "/api/v1/incidents/\(id)/procedure"), incident: id))
    }

    private func daemonStatus() async throws {
        let base = server.server.hasSuffix("/") ? String(server.server.dropLast()) : server.server
        let response = await HTTPTransfer(url: base + "/readyz").send()
        if let error = response.error { throw ClientError("Cannot reach tocsind at \(server.server): \(error). Is it running (`make run`)?") }
        let answer = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let reasons = answer["reasons"] as? [String] ?? []
        if response.status == 200 {
            print("tocsind at \(server.server) is ready: its last write went through, pages get through, no timer or page is overdue.")
        } else {
            print("tocsind at \(server.server) is NOT READY:")
            reasons.forEach { print("  - \($0)") }
        }
        if !server.token.isEmpty, let events = try? await server.call("GET", "/api/v1/system/events?limit=5"),
           let list = (try? JSONSerialization.jsonObject(with: events)) as? [[String: Any]], !list.isEmpty {
            print("The fallback alarm's last messages:")
            for event in list {
                let detail = event["detail"] as? [String: String] ?? [:]
                print("  \(event["at"] as? String ?? "?")  \(event["kind"] as? String ?? "?")  \(detail["contacts"] ?? "")")
            }
        }
        if response.status != 200 { throw ExitCode(1) }
    }
}

/// `tocsin advance ID STAGE`
struct Advance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move an incident to its next stage.",
        discussion: """
            reported → assessing → recovering (partial impact) or trading_stopped (all business; use stop-trading) \
            → recovering → reconciling → closed. Each stage has facts that must be recorded before leaving it; \
            Tocsin says which are missing. Closing needs --summary and at least one --follow-up.
            """
    )
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The stage to move to: assessing, recovering, reconciling or closed.") var stage: String
    @Option(help: "Closing summary (for closed).") var summary: String?
    @Option(name: .customLong("follow-up"), help: "A follow-up action (for closed); repeat for several.") var followUps: [String] = []
    @OptionGroup var server: ServerOptions

    func run() async throws {
        var fields: [String: Any] = ["to": stage]
        if let summary { fields["summary"] = summary }
        if !followUps.isEmpty { fields["follow_ups"] = followUps }
        try await IncidentAction(server: server).post(id, "advance", fields)
    }
}

/// `tocsin assess ID …`
struct Assess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record the commander's assessment: when the fault started, scope, spread, affected services.")
    @Argument(help: "The incident id.") var id: Int64
    @Option(help: "When the fault really started (ISO 8601, e.g. 2026-11-21T09:52:00Z).") var startedAt: String
    @Option(help: "Impact scope, in words.") var scope: String
    @Option(help: "How the impact is spreading.") var spread: String
    @Option(name: .customLong("service"), help: "An affected service; repeat for several.") var services: [String]
    @Flag(help: "All business is affected (trading must stop).") var allBusiness = false
    @Option(help: "First view of the cause.") var cause: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        var fields: [String: Any] = ["fault_started_at": startedAt, "scope": scope, "spread": spread,
                                     "affected_services": services, "all_business_affected": allBusiness]
        if let cause { fields["initial_cause"] = cause }
        try await IncidentAction(server: server).post(id, "assess", fields)
    }
}

/// `tocsin stop-trading ID`
struct StopTradingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop-trading",
        abstract: "Propose stopping trading (commander). A leadership member other than you must approve.",
        discussion: "Needs an assessment with --all-business, or an explicit --override reason."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Option(help: "What is to be stopped.") var what = "all trading"
    @Option(name: .customLong("override"), help: "Why trading must stop although not all business is affected.") var overrideReason: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        var fields: [String: Any] = ["what": what]
        if let overrideReason { fields["override_reason"] = overrideReason }
        try await IncidentAction(server: server).post(id, "stop-trading", fields)
    }
}

/// `tocsin approve ID stop-trading|plan`
struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve, as a leadership member: stop-trading (then Tocsin calls the platform) or plan.",
        discussion: "Stopping trading takes two people: the proposer cannot approve. If the platform's stop-trade call fails, the incident stays where it was."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "stop-trading or plan.") var what: String
    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard ["stop-trading", "plan"].contains(what) else { throw ValidationError("Approve stop-trading or plan, not \"\(what)\".") }
    }

    func run() async throws {
        try await IncidentAction(server: server).post(id, what == "plan" ? "approve-plan" : "approve-stop-trading")
    }
}

/// `tocsin plan ID`
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the root cause and recovery plan (commander).",
        discussion: "Due within the assessment deadline (1 hour by default). Leadership approves it unless the runbook is pre-authorized."
    )
    @Argument(help: "The incident id.") var id: Int64
    @Option(help: "The root cause.") var rootCause: String
    @Option(help: "The recovery steps.") var steps: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await IncidentAction(server: server).post(id, "plan", ["root_cause": rootCause, "steps": steps])
    }
}

/// `tocsin op ID`
struct Op: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record an operation carried out and its result (executors, commander).")
    @Argument(help: "The incident id.") var id: Int64
    @Option(help: "What was done.") var action: String
    @Option(help: "What came of it.") var result: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await IncidentAction(server: server).post(id, "op", ["action": action, "result": result])
    }
}

/// `tocsin restored ID` and `tocsin resume-trading ID`
struct Restored: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Declare service restored (commander), needed before reconciling.")
    @Argument(help: "The incident id.") var id: Int64
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "service-restored") }
}

struct ResumeTrading: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-trading",
        abstract: "Resume trading (commander or leadership): Tocsin calls the platform's resume-trade endpoint."
    )
    @Argument(help: "The incident id.") var id: Int64
    @OptionGroup var server: ServerOptions

    func run() async throws { try await IncidentAction(server: server).post(id, "resume-trading") }
}
