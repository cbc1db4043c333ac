import Foundation

/// How a drill went, judged against the plan's targets: computed from the incident's timeline
/// alone, so the same record always gives the same score.
public struct DrillScorecard: Sendable, Codable, Hashable {
    public var incidentID: Int64
    public var title: String
    public var runbook: String?
    public var openedAt: Date
    public var closedAt: Date?
    public var acknowledgements: [RoleResponse]
    public var stages: [StageReached]
    public var deadlines: [DeadlineResult]
    public var updates: [CadenceResult]
    public var gatesRefused: [RefusedGate]
    public var checklist: [ChecklistLine]
    public var people: [PersonActivity]

    private enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", title, runbook, openedAt = "opened_at", closedAt = "closed_at", acknowledgements, stages, deadlines, updates
        case gatesRefused = "gates_refused", checklist, people
    }

    public init(incident: Incident, record: ProcedureRecord, events: [TimelineEvent], runbook: Runbook?, targets: ScorecardTargets) {
        let opened = incident.openedAt
        incidentID = incident.id
        title = incident.title
        self.runbook = incident.runbookID
        openedAt = opened
        closedAt = events.first { $0.kind == .stageChanged && $0.detail["to"] == Stage.closed.rawValue }?.at
        let end = closedAt ?? events.last?.at ?? opened
        acknowledgements = RoleResponse.list(events: events, roles: IncidentRoles.atOpening(events) ?? record.roles, opened: opened, targets: targets)
        stages = events.filter { $0.kind == .stageChanged }.compactMap { event in
            event.detail["to"].flatMap(Stage.init(rawValue:)).map { StageReached(stage: $0, at: event.at, after: event.at.timeIntervalSince(opened), by: event.actor) }
        }
        deadlines = DeadlineResult.list(events: events, opened: opened, targets: targets)
        let taken = events.first { $0.kind == .acknowledged || ($0.kind == .stageChanged && $0.detail["to"] == Stage.assessing.rawValue) }?.at
        updates = targets.cadences.keys.sorted { $0.rawValue < $1.rawValue }.map { kind in
            CadenceResult(kind: kind, every: targets.cadences[kind]!.seconds, events: events, from: taken, to: end)
        }
        gatesRefused = events.filter { $0.kind == .gateRefused }.map { event in
            RefusedGate(at: event.at, by: event.actor, action: event.detail["action"] ?? "?", reason: event.detail["reason"] ?? "")
        }
        checklist = (runbook?.steps ?? []).enumerated().map { index, text in
            ChecklistLine(step: index + 1, text: text, doneBy: record.checklist[index + 1]?.by, doneAt: record.checklist[index + 1]?.at)
        }
        people = PersonActivity.list(events: events)
    }

    /// Share of the runbook's steps ticked, or nil when it has none.
    public var checklistCompletion: Double? {
        checklist.isEmpty ? nil : Double(checklist.filter { $0.doneBy != nil }.count) / Double(checklist.count)
    }
}

/// How soon a role first acted on the drill, against its target.
public struct RoleResponse: Sendable, Codable, Hashable {
    public var role: IncidentRole
    /// Who acted first for the role; nil when nobody did.
    public var person: String?
    public var after: TimeInterval?
    public var target: TimeInterval
    public var met: Bool

    private enum CodingKeys: String, CodingKey { case role, person, after = "after_s", target = "target_s", met }

    /// The commander's response is the incident's first acknowledgement, whoever gave it; every
    /// other role's is the first thing a holder of it recorded on the incident.
    static func list(events: [TimelineEvent], roles: IncidentRoles, opened: Date, targets: ScorecardTargets) -> [RoleResponse] {
        var holders: [IncidentRole: Set<String>] = [
            .coordinator: Set([roles.coordinator].compactMap { $0 }), .businessLead: Set([roles.businessLead].compactMap { $0 }),
            .executor: Set(roles.executors),
        ]
        for event in events where event.kind == .roleHandedOver {
            if let role = event.detail["role"].flatMap(IncidentRole.init(rawValue:)), let person = event.detail["to"] { holders[role, default: []].insert(person) }
        }
        return IncidentRole.allCases.compactMap { role in
            guard let target = targets.acknowledge[role]?.seconds else { return nil }
            let first = role == .commander
                ? events.first { $0.kind == .acknowledged }
                : events.first { holders[role]?.contains($0.actor) == true && PersonActivity.counts($0.kind) }
            let after = first.map { $0.at.timeIntervalSince(opened) }
            return RoleResponse(role: role, person: first?.actor, after: after, target: target, met: after.map { $0 <= target } ?? false)
        }
    }
}

/// When the drill reached a stage, and who moved it there.
public struct StageReached: Sendable, Codable, Hashable {
    public var stage: Stage
    public var at: Date
    public var after: TimeInterval
    public var by: String

    private enum CodingKeys: String, CodingKey { case stage, at, after = "after_s", by }
}

/// A deadline of the drill and whether it was met.
public struct DeadlineResult: Sendable, Codable, Hashable {
    public var name: String
    /// When it was due, from the opening; nil for the procedure's own clocks, which say so themselves.
    public var target: TimeInterval?
    public var doneAfter: TimeInterval?
    public var met: Bool

    private enum CodingKeys: String, CodingKey { case name, target = "target_s", doneAfter = "done_after_s", met }

    static func list(events: [TimelineEvent], opened: Date, targets: ScorecardTargets) -> [DeadlineResult] {
        let plan = events.first { $0.kind == .planRecorded }.map { $0.at.timeIntervalSince(opened) }
        var results = [DeadlineResult(name: "root cause and plan", target: targets.rootCause.seconds, doneAfter: plan,
                                      met: plan.map { $0 <= targets.rootCause.seconds } ?? false)]
        for event in events where event.kind == .deadlineMet || event.kind == .deadlineBreached {
            results.append(DeadlineResult(name: "procedure clock \(event.detail["deadline"] ?? "?")", target: nil,
                                          doneAfter: event.at.timeIntervalSince(opened), met: event.kind == .deadlineMet))
        }
        return results
    }
}

/// One recurring update measured against the interval it is owed at.
public struct CadenceResult: Sendable, Codable, Hashable {
    public var kind: UpdateKind
    public var every: TimeInterval
    public var posted: Int
    /// Posted within the interval after the one before (or after the drill was taken).
    public var onTime: Int
    public var late: Int
    /// Whole intervals that passed with nothing posted after the last update.
    public var missed: Int

    private enum CodingKeys: String, CodingKey { case kind, every = "every_s", posted, onTime = "on_time", late, missed }

    /// Updates owed from `from` (when the drill was taken; nothing is owed before) to `to`.
    init(kind: UpdateKind, every: TimeInterval, events: [TimelineEvent], from: Date?, to end: Date) {
        self.kind = kind
        self.every = every
        let posts = events.filter { $0.kind == .updatePosted && $0.detail["kind"] == kind.rawValue }.map(\.at)
        posted = posts.count
        onTime = 0
        late = 0
        missed = 0
        guard var previous = from else { return }
        for at in posts {
            if at.timeIntervalSince(previous) <= every { onTime += 1 } else { late += 1 }
            previous = max(previous, at)
        }
        missed = max(0, Int(end.timeIntervalSince(previous) / every))
    }
}

/// A command the procedure refused during the drill, and why.
public struct RefusedGate: Sendable, Codable, Hashable {
    public var at: Date
    public var by: String
    public var action: String
    public var reason: String
}

/// What one person recorded on the drill.
public struct PersonActivity: Sendable, Codable, Hashable {
    public var person: String
    /// Event kind → how many.
    public var did: [String: Int]

    /// The events a person's own act records (pages and exports are Tocsin's doing or a review's;
    /// a deadline met is the clock's verdict on the act that met it, counted once as that act).
    static func counts(_ kind: TimelineEventKind) -> Bool {
        ![.pageQueued, .pageSent, .pageFailed, .pageCancelled, .pageBundled, .exported, .gateRefused, .pageWithheld, .deadlineMet, .deadlineBreached].contains(kind)
    }

    static func list(events: [TimelineEvent]) -> [PersonActivity] {
        let systemActors: Set<String> = ["tocsin", "drill"]
        let firstActor = events.first { $0.kind == .incidentOpened }?.actor
        var order: [String] = []
        var did: [String: [String: Int]] = [:]
        for event in events where counts(event.kind) && !systemActors.contains(event.actor) {
            // The opening is the drill's start, not a response to it.
            if event.kind == .incidentOpened || (event.actor == firstActor && event.kind == .alertReceived) { continue }
            if did[event.actor] == nil { order.append(event.actor) }
            did[event.actor, default: [:]][event.kind.rawValue, default: 0] += 1
        }
        return order.map { PersonActivity(person: $0, did: did[$0]!) }
    }
}
