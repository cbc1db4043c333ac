import Foundation

/// Response figures across incidents: the plan's assessment indicators for a period.
///
/// MTTA is the mean time from opening to the first acknowledgement; MTTR the mean time from
/// opening to service restored (incidents not yet restored are counted but left out of it).
public struct ResponseReport: Sendable, Codable {
    public var from: Date
    public var to: Date
    public var incidents: Int
    public var byServiceAndSeverity: [ServiceFigures]
    public var responders: [ResponderFigures]
    public var cadences: [CadenceFigures]

    private enum CodingKeys: String, CodingKey {
        case from, to, incidents, byServiceAndSeverity = "by_service_and_severity", responders, cadences
    }

    /// Drills among `incidents` are left out: a rehearsal is not a response.
    public init(from: Date, to: Date, incidents all: [(Incident, ProcedureRecord, [TimelineEvent])]) {
        let incidents = all.filter { !$0.0.isDrill }
        self.from = from
        self.to = to
        self.incidents = incidents.count
        let groups = Dictionary(grouping: incidents) { "\($0.0.service)\u{0}\($0.0.severity.rawValue)" }
        byServiceAndSeverity = groups.values.map { group in
            let times = group.map { ResponseTimes(incident: $0.0, events: $0.2) }
            return ServiceFigures(service: group[0].0.service, severity: group[0].0.severity, incidents: group.count,
                                  mtta: Self.mean(times.compactMap(\.acknowledge)), mttr: Self.mean(times.compactMap(\.recover)),
                                  acknowledged: times.compactMap(\.acknowledge).count, recovered: times.compactMap(\.recover).count)
        }.sorted { ($0.service, $0.severity.rawValue) < ($1.service, $1.severity.rawValue) }

        var ackTimes: [String: [TimeInterval]] = [:]
        for (incident, _, events) in incidents {
            guard let ack = events.first(where: { $0.kind == .acknowledged }) else { continue }
            let firstPage = events.first { $0.kind == .pageQueued && $0.detail["person"] == ack.actor && $0.detail["purpose"] == nil }
            ackTimes[ack.actor, default: []].append(ack.at.timeIntervalSince(firstPage?.at ?? incident.openedAt))
        }
        responders = ackTimes.map { person, times in
            let sorted = times.sorted()
            return ResponderFigures(person: person, acknowledgements: times.count, median: sorted[sorted.count / 2], mean: Self.mean(times) ?? 0, slowest: sorted.last ?? 0)
        }.sorted { $0.person < $1.person }

        cadences = UpdateKind.allCases.map { kind in
            let all = incidents.flatMap { UpdateCompliance.list(from: $0.2).filter { $0.kind == kind } }
            return CadenceFigures(kind: kind, role: kind.owner, onTime: all.map(\.onTime).reduce(0, +), late: all.map(\.late).reduce(0, +),
                                  missed: all.map(\.missed).reduce(0, +))
        }
    }

    static func mean(_ values: [TimeInterval]) -> TimeInterval? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// MTTA and MTTR for one service at one severity.
public struct ServiceFigures: Sendable, Codable, Hashable {
    public var service: String
    public var severity: Severity
    public var incidents: Int
    public var mtta: TimeInterval?
    public var mttr: TimeInterval?
    public var acknowledged: Int
    public var recovered: Int

    private enum CodingKeys: String, CodingKey {
        case service, severity, incidents, mtta = "mtta_s", mttr = "mttr_s", acknowledged, recovered
    }
}

/// How fast one responder acknowledges, from the first page they were sent.
public struct ResponderFigures: Sendable, Codable, Hashable {
    public var person: String
    public var acknowledgements: Int
    public var median: TimeInterval
    public var mean: TimeInterval
    public var slowest: TimeInterval

    private enum CodingKeys: String, CodingKey { case person, acknowledgements, median = "median_s", mean = "mean_s", slowest = "slowest_s" }
}

/// Updates on time, late and missed for one cadence, owed by one incident role.
public struct CadenceFigures: Sendable, Codable, Hashable {
    public var kind: UpdateKind
    public var role: IncidentRole
    public var onTime: Int
    public var late: Int
    public var missed: Int

    /// Share of owed updates posted on time, or nil when none were owed.
    public var compliance: Double? {
        let owed = onTime + missed
        return owed > 0 ? Double(onTime) / Double(owed) : nil
    }

    private enum CodingKeys: String, CodingKey { case kind, role, onTime = "on_time", late, missed }
}
