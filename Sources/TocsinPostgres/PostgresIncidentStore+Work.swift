import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    /// The channel on which instances tell each other that a timer or page was written.
    static let workChannel = "tocsin_work"

    /// Calls `wake` with when the work falls due whenever any instance commits a new timer or
    /// page, so that this instance's engine does not sleep past it (another instance may die
    /// before it comes due). Reconnects after losing its connection (a failover) and wakes once
    /// more when it does, for anything due now; returns when its task is cancelled.
    public func watchForWork(_ wake: @escaping @Sendable (Date) -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try connections.open()
                do {
                    try await connection.listen(on: Self.workChannel) { notifications in
                        wake(.distantPast)
                        for try await notification in notifications {
                            wake(Int64(notification.payload).map(Date.init(millis:)) ?? .distantPast)
                        }
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
