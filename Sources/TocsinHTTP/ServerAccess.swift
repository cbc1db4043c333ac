import Synchronization
import TocsinCore

/// Who may call `tocsind`: its bearer tokens and the integrations they belong to, read on every
/// request and replaced whole when the configuration is reloaded.
public final class ServerAccess: Sendable {
    private struct State {
        var tokens: [String: Principal]
        var integrations: [String: Integration]
    }

    private let state: Mutex<State>

    public init(tokens: [String: Principal], integrations: [Integration]) {
        state = Mutex(State(tokens: tokens, integrations: Self.byName(integrations)))
    }

    /// Who presents `token`, if anyone.
    func principal(presenting token: String) -> Principal? {
        state.withLock { $0.tokens[token] }
    }

    /// The declared integration called `name`.
    func integration(named name: String) -> Integration? {
        state.withLock { $0.integrations[name] }
    }

    /// Takes `tokens` and `integrations` from the next request on.
    public func replace(tokens: [String: Principal], integrations: [Integration]) {
        let integrations = Self.byName(integrations)
        state.withLock { $0 = State(tokens: tokens, integrations: integrations) }
    }

    private static func byName(_ integrations: [Integration]) -> [String: Integration] {
        Dictionary(integrations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
