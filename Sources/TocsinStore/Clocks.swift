import Foundation
import GRDB
import TocsinCore

/// The procedure's durable clocks: update cadences with their reminders and escalations,
/// the root-cause deadline and the regulatory report. Each is a timer row with a subject.
enum Clocks {
    static let assessmentDeadline = "root_cause_and_plan"

    static func schedule(_ kind: TimerKind, subject: String, incident: Int64, at due: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO timer (kind, due_at, incident_id, subject) VALUES (?, ?, ?, ?)").execute(
                       arguments: [kind.rawValue, due.millis, incident, subject])
    }

    static func cancel(_ kinds: [TimerKind], subject: String, incident: Int64, in db: Database) throws {
        for kind in kinds {
            try db.cachedStatement(sql: "DELETE FROM timer WHERE incident_id = ? AND kind = ? AND subject = ?").execute(arguments: [incident, kind.rawValue, subject])
        }
    }

    /// Schedules an update due at `dueAt` and its reminder `reminderLead` before.
    static func scheduleUpdate(_ kind: UpdateKind, dueAt: Date, incident: Int64, rules: ProcedureRules, in db: Database) throws {
        try schedule(.updateReminder, subject: kind.rawValue, incident: incident, at: dueAt.addingTimeInterval(-rules.reminderLead.seconds), in: db)
        try schedule(.updateDue, subject: kind.rawValue, incident: incident, at: dueAt, in: db)
    }

    /// Starts every clock an incident has from the moment it is classified.
    static func start(for incident: Incident, rules: ProcedureRules, in db: Database) throws {
        for (kind, interval) in rules.cadences(for: incident.severity) {
            try scheduleUpdate(kind, dueAt: incident.openedAt.addingTimeInterval(interval.seconds), incident: incident.id, rules: rules, in: db)
        }
        if let within = rules.regulatoryReportWithin {
            try scheduleUpdate(.regulatory, dueAt: incident.openedAt.addingTimeInterval(within.seconds), incident: incident.id, rules: rules, in: db)
        }
    }

    /// What a procedure clock does when it comes due.
    static func fire(_ kind: TimerKind, subject: String, incidentID: Int64, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incident = try IncidentStore.incident(incidentID, in: db)
        guard incident.stage != .closed else { return }
        let record = try IncidentStore.procedureRecord(incidentID, in: db)
        let leadership: [EscalationTarget] = [.role(.leadership, .primary), .role(.leadership, .backup)]
        if kind == .deadline {
            let cause = try Timeline.append(.deadlineBreached, incident: incidentID, actor: "tocsin", at: dueAt, detail: ["deadline": subject], in: db)
            try Notices.queue(to: leadership, alsoTo: [record.roles.commander].compactMap { $0 }, incident: incident, subject: "deadline_breached",
                              message: "Incident \(incidentID): root cause and recovery plan were due by \(UTCTime.string(dueAt)) and are not recorded.",
                              cause: cause, roster: rules.roster, at: dueAt, in: db)
            return
        }
        guard let update = UpdateKind(rawValue: subject) else { return }
        let owner = record.roles.holder(of: update.owner)
        switch kind {
        case .updateReminder:
            let cause = try Timeline.append(.updateReminder, incident: incidentID, actor: "tocsin", at: dueAt, detail: ["kind": subject], in: db)
            try Notices.queue(to: [], alsoTo: [owner].compactMap { $0 }, incident: incident, subject: "update_reminder",
                              message: "The \(subject) update for incident \(incidentID) is due in \(Int(rules.procedure.reminderLead.seconds / 60)) minutes.",
                              cause: cause, roster: rules.roster, at: dueAt, in: db)
        case .updateDue:
            let backup: [EscalationTarget] = switch update {
            case .bulletin: [.role(.technicalCoordinator, .backup)]
            case .business: [.role(.business, .backup)]
            case .regulatory: leadership
            }
            let cause = try Timeline.append(.updateMissed, incident: incidentID, actor: "tocsin", at: dueAt,
                                            detail: ["kind": subject, "owner": owner ?? "", "due_at": UTCTime.string(dueAt)], in: db)
            try Notices.queue(to: backup, alsoTo: [owner].compactMap { $0 }, incident: incident, subject: "update_missed",
                              message: "The \(subject) update for incident \(incidentID) was due at \(UTCTime.string(dueAt)) and has not been posted.",
                              cause: cause, roster: rules.roster, at: dueAt, in: db)
            if update != .regulatory {
                try schedule(.updateEscalation, subject: subject, incident: incidentID, at: dueAt.addingTimeInterval(rules.procedure.missedGrace.seconds), in: db)
                if let interval = rules.procedure.cadences(for: incident.severity)[update] {
                    try scheduleUpdate(update, dueAt: dueAt.addingTimeInterval(interval.seconds), incident: incidentID, rules: rules.procedure, in: db)
                }
            }
        case .updateEscalation:
            let cause = try Timeline.append(.updateEscalated, incident: incidentID, actor: "tocsin", at: dueAt, detail: ["kind": subject, "to": "leadership"], in: db)
            try Notices.queue(to: leadership, incident: incident, subject: "update_missed",
                              message: "Incident \(incidentID): the \(subject) update is still missing after the grace period.",
                              cause: cause, roster: rules.roster, at: dueAt, in: db)
        default:
            break
        }
    }
}
