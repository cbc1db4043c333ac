import ArgumentParser
import Foundation
import TocsinConfig

/// The config file option of the commands that read it directly rather than ask tocsind.
struct ConfigFile: ParsableArguments {
    @Option(name: .shortAndLong, help: "The config file.")
    var config = "Deploy/tocsin.yaml"

    /// Loads it, or prints everything that is wrong (file, key, problem, a line each) and exits 1.
    func load() throws -> TocsinConfiguration {
        do {
            return try TocsinConfiguration.load(path: config)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        } catch let errors as ConfigErrors {
            FileHandle.standardError.write(Data("\(errors)\n".utf8))
            throw ExitCode(1)
        }
    }
}
