/// Why the store refused a command.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case incidentNotFound(Int64)
    /// The database's writer lock (`DATABASE.lock`) could not be taken.
    case databaseLocked(path: String, reason: String)
    /// The database cannot take writes now (down, failing over, read-only); the caller may
    /// try again shortly, and nothing was changed.
    case unavailable(String)

    public var description: String {
        switch self {
        case .incidentNotFound(let id): "There is no incident \(id). `tocsin incidents` lists them."
        case .databaseLocked(let path, let reason): "cannot lock \(path): \(reason). Stop the other tocsind, or give this one its own `database:`."
        case .unavailable(let reason): "Tocsin cannot store anything right now: \(reason). Nothing was changed; try again shortly."
        }
    }

    public var isIncidentNotFound: Bool {
        if case .incidentNotFound = self { true } else { false }
    }
}
