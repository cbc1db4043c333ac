import Foundation
import Testing
import TocsinTestSupport

/// Deploy/tocsind.service as systemd reads it: a unit `systemd-analyze verify` accepts without a
/// warning, whose sandboxing systemd itself rates as a low exposure.
@Suite struct ServiceUnitTests {
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    /// The unit with its `ExecStart` pointed at this checkout's tocsind, which `verify` requires to exist.
    static func unit(in folder: URL) throws -> URL {
        var text = try String(contentsOf: TocsinBuild.repository.appendingPathComponent("Deploy/tocsind.service"), encoding: .utf8)
        guard text.contains("ExecStart=/usr/local/bin/tocsind ") else { throw HarnessFailure("Deploy/tocsind.service no longer starts /usr/local/bin/tocsind") }
        text = text.replacingOccurrences(of: "ExecStart=/usr/local/bin/tocsind ", with: "ExecStart=\(try TocsinBuild.binary("tocsind")) ")
        let unit = folder.appendingPathComponent("tocsind.service")
        try text.write(to: unit, atomically: true, encoding: .utf8)
        return unit
    }

    @Test func systemdAcceptsTheUnitAndRatesItsSandboxAsLowExposure() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let unit = try Self.unit(in: folder)
        // On threads of their own: a test never holds one of Swift's few shared threads while a program runs.
        let verify = try await ChildProcess.run(Self.systemdAnalyze, ["verify", unit.path])
        #expect(verify.status == 0 && verify.output.isEmpty, "systemd-analyze verify: \(verify.output)")

        let security = try await ChildProcess.run(Self.systemdAnalyze, ["security", "--offline=true", "--no-pager", unit.path])
        let level = security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
            .flatMap { line in line.split(separator: " ").compactMap { Double($0) }.first }
        let exposure = try #require(level, "systemd-analyze security: \(security.output.suffix(500))")
        #expect(exposure <= 2.0, "systemd rates the sandbox's exposure \(exposure) (0 is fully sandboxed, 10 is none)")
        for setting in ["ProtectSystem=strict", "NoNewPrivileges=yes", "StateDirectory=tocsin", "Restart=on-failure"] {
            #expect(try String(contentsOf: unit, encoding: .utf8).contains("\n\(setting)\n"), "\(setting)")
        }
    }
}
