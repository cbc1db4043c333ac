import Testing
import TocsinHTTP
import TocsinTestSupport

/// The harness's in-process servers: one that cannot start fails the test instead of hanging it.
@Suite struct RunningApplicationTests {
    @Test func aListenerWhosePortIsTakenFailsToStartInsteadOfWaitingForever() async throws {
        let first = try await RunningApplication.start("the first listener") {
            PageListener().application(port: 0, logger: TocsinBuild.quietLogger, onListening: $0)
        }
        defer { first.task.cancel() }
        let error = await #expect(throws: HarnessFailure.self) {
            _ = try await RunningApplication.start("the second listener") {
                PageListener().application(port: first.port, logger: TocsinBuild.quietLogger, onListening: $0)
            }
        }
        #expect(error?.description.hasPrefix("the second listener stopped before it served") == true, "\(error.map(String.init(describing:)) ?? "")")
    }
}
