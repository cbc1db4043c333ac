import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    /// The channel on which instances tell each other that a timer or page was written.
    static let workChannel = "tocsin_work"

    /// Calls `wake` whenever any instance commits a new timer or page, so that this instance's
    /// engine looks at the new earliest deadline at once rather than sleeping past it (another
    /// instance may die before it comes due). Reconnects after losing its connection (a
    /// failover) and wakes once more when it does; returns when its task is cancelled.
    public func watchForWork(_ wake: @escaping @Sendable () -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try connections.open()
                do {
                    try await connection.listen(on: Self.workChannel) { notifications in
                        wake()
                        for try await _ in notifications { wake() }
                    }
                } catch {
                    connections.logger.warning("listening for other instances' work failed: \(error); trying again")
                }
                try? await connection.close()
            } catch {
                connections.logger.warning("cannot connect to listen for other instances' work: \(error); trying again")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
