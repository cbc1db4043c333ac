/// Why the store refused a command.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case incidentNotFound(Int64)
    /// The database's writer lock (`DATABASE.lock`) could not be taken.
    case databaseLocked(path: String, reason: String)

    public var description: String {
        switch self {
        case .incidentNotFound(let id): "There is no incident \(id). `tocsin incidents` lists them."
        case .databaseLocked(let path, let reason): "cannot lock \(path): \(reason). Stop the other tocsind, or give this one its own `database:`."
        }
    }
}
