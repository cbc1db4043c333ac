import Foundation
import Synchronization

/// The console's signed-in people, and the sign-in links already used. Kept in memory: a
/// restart of `tocsind` signs everyone out, which costs a person their token once more and
/// never a record.
final class ConsoleSessions: Sendable {
    /// How long a sign-in lasts; a shift and its handover fit in it.
    let lifetime: TimeInterval
    private let sessions = Mutex<[String: ConsoleSession]>([:])
    /// Sign-in links' nonces already used, until their links expire.
    private let usedLinks = Mutex<[String: Date]>([:])
    /// When each person was last sent a sign-in link.
    private let linksSent = Mutex<[String: Date]>([:])
    /// A person is sent at most one sign-in link in this time, so asking cannot flood their phone.
    static let linkSpacing: TimeInterval = 60

    init(lifetime: TimeInterval = 12 * 3600) {
        self.lifetime = lifetime
    }

    func start(for person: String, now: Date) -> ConsoleSession {
        let session = ConsoleSession(id: ConsoleSession.secret(), person: person, csrfToken: ConsoleSession.secret(),
                                     expiresAt: now.addingTimeInterval(lifetime))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expiresAt > now }
            sessions[session.id] = session
        }
        return session
    }

    /// The session with this id, unless it has expired or ended.
    func session(_ id: String, now: Date) -> ConsoleSession? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expiresAt > now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    /// Marks a sign-in link's nonce used; false when it already was, so a link signs in once.
    func redeem(nonce: String, expiresAt: Date, now: Date) -> Bool {
        usedLinks.withLock { used in
            used = used.filter { $0.value > now }
            guard used[nonce] == nil else { return false }
            used[nonce] = expiresAt
            return true
        }
    }

    /// Whether `person` may be sent a sign-in link now; if so, the sending is noted.
    func mayBeSentLink(_ person: String, now: Date) -> Bool {
        linksSent.withLock { sent in
            sent = sent.filter { now.timeIntervalSince($0.value) < Self.linkSpacing }
            guard sent[person] == nil else { return false }
            sent[person] = now
            return true
        }
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
