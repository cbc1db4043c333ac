import Foundation
import TocsinCore

/// What acknowledging by an alert's dedup key did.
public enum AlertAcknowledgeOutcome: Sendable, Hashable {
    case acknowledged(incidentID: Int64)
    case alreadyAcknowledged(incidentID: Int64)
    /// No open alert has that key, or it is below the major threshold and has no incident.
    case noIncident
}
