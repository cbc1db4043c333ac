/// Why the store refused a command.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case incidentNotFound(Int64)

    public var description: String {
        switch self {
        case .incidentNotFound(let id): "There is no incident \(id). `tocsin incidents` lists them."
        }
    }
}
