/// Who is making a request, as identified by its bearer token.
public enum Principal: Sendable, Hashable {
    /// A person from `Contacts/`, by id.
    case person(String)
    /// A monitoring integration that may send alerts, by name.
    case integration(String)

    /// The name recorded as the actor on the timeline.
    public var actor: String {
        switch self {
        case .person(let id): id
        case .integration(let name): name
        }
    }
}
