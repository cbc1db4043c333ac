import Foundation
import Testing
import TocsinTestSupport

/// The shell completions and man pages `make completions` writes come from the programs' own
/// command definitions: every command `tocsin --help` lists is in each of them.
@Suite struct CompletionAndManualTests {
    /// Runs a program on a thread of its own, so that no thread running the other tests' servers waits on it.
    func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(program.hasPrefix("/") ? program : try TocsinBuild.binary(program), arguments)
    }

    /// The visible subcommands, as ArgumentParser describes the command tree.
    func subcommands() async throws -> [String] {
        let dump = try await run("tocsin", ["--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let children = try #require(command["subcommands"] as? [[String: Any]])
        return children.filter { $0["shouldDisplay"] as? Bool ?? true }.compactMap { $0["commandName"] as? String }.filter { $0 != "help" }
    }

    @Test func everyCommandIsInTheBashZshAndFishCompletions() async throws {
        let names = try await subcommands()
        #expect(names.count >= 25 && names.contains("archive") && names.contains("verify") && !names.contains("manual"), "\(names)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try await run("tocsin", ["--generate-completion-script", shell])
            #expect(script.status == 0 && script.output.count > 1000, "\(shell): \(script.output.prefix(300))")
            let missing = names.filter { name in
                switch shell {
                case "fish": !script.output.contains("'\(name)'") && !script.output.contains(" \(name) ") && !script.output.contains("\(name)\t")
                default: !script.output.contains(name)
                }
            }
            #expect(missing.isEmpty, "\(shell) completion lacks \(missing)")
        }
        let daemon = try await run("tocsind", ["--generate-completion-script", "bash"])
        #expect(daemon.status == 0 && daemon.output.contains("--config") && daemon.output.contains("--log-format"))
    }

    @Test func everyCommandHasItsSectionInTheManPageAndManRendersIt() async throws {
        let names = try await subcommands()
        let page = try await run("tocsin", ["manual"])
        #expect(page.status == 0 && page.output.hasPrefix(".TH TOCSIN 1"), "\(page.output.prefix(200))")
        for name in names {
            #expect(page.output.contains(".B \(name)\n"), "\(name) is not listed under COMMANDS")
            #expect(page.output.contains(".SS \"tocsin \(name)\"\n"), "\(name) has no section of its own")
        }
        #expect(page.output.contains("USAGE: tocsin archive"), "each section is the command's own help screen")

        let daemonPage = try await run("tocsind", ["--manual"])
        #expect(daemonPage.status == 0 && daemonPage.output.hasPrefix(".TH TOCSIND 8") && daemonPage.output.contains("--log-format"))
        #expect(!daemonPage.output.contains("--manual"), "the flag that prints the page is not on it")

        // man(1) itself formats both, without a warning.
        for (file, text) in [("tocsin.1", page.output), ("tocsind.8", daemonPage.output)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(file)")
            try text.write(to: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: path) }
            let rendered = try await run("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", path.path])
            #expect(rendered.status == 0 && rendered.output.isEmpty, "\(file): \(rendered.output)")
        }
    }
}
