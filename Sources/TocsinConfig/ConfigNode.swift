import Foundation
import Yams

/// A value in a YAML config file that knows where it came from, so every error can say
/// which file and which key are wrong.
struct ConfigNode {
    let file: String
    let path: String
    let node: Node?

    /// Parses `text` from `file`; a YAML syntax error names the line.
    static func parse(_ text: String, file: String) throws -> ConfigNode {
        do {
            return ConfigNode(file: file, path: "", node: try Yams.compose(yaml: text))
        } catch let error as YamlError {
            throw ConfigError(file: file, key: "", problem: "not valid YAML: \(error)")
        }
    }

    static func load(_ url: URL, displayName: String) throws -> ConfigNode {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: displayName, key: "", problem: "cannot read the file (missing, unreadable or not UTF-8)")
        }
        return try parse(text, file: displayName)
    }

    var exists: Bool {
        guard let node else { return false }
        return node.null == nil
    }

    func error(_ problem: String) -> ConfigError {
        ConfigError(file: file, key: path, problem: problem)
    }

    subscript(key: String) -> ConfigNode {
        ConfigNode(file: file, path: path.isEmpty ? key : "\(path).\(key)", node: node?.mapping?[key])
    }

    /// Refuses keys other than `allowed`, which are almost always typos.
    func allowingOnly(_ allowed: [String]) throws -> ConfigNode {
        guard let node else { return self }
        guard let mapping = node.mapping else { throw error("expected a mapping of keys to values") }
        for key in mapping.keys {
            let name = key.string ?? "?"
            if !allowed.contains(name) {
                throw ConfigError(file: file, key: path.isEmpty ? name : "\(path).\(name)",
                                  problem: "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        return self
    }

    func items() throws -> [ConfigNode] {
        guard exists else { return [] }
        guard let sequence = node?.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { ConfigNode(file: file, path: "\(path)[\($0.offset)]", node: $0.element) }
    }

    func entries() throws -> [(key: String, value: ConfigNode)] {
        guard exists else { return [] }
        guard let mapping = node?.mapping else { throw error("expected a mapping of keys to values") }
        return mapping.map { pair in
            let key = pair.key.string ?? "?"
            return (key, ConfigNode(file: file, path: path.isEmpty ? key : "\(path).\(key)", node: pair.value))
        }
    }

    func string() throws -> String {
        guard exists else { throw error("missing; this key is required") }
        guard let scalar = node?.scalar else { throw error("expected a single value, not a list or mapping") }
        return scalar.string
    }

    func string(default value: String) throws -> String {
        exists ? try string() : value
    }

    func int() throws -> Int {
        guard let value = Int(try string()) else { throw error("expected a whole number, got \"\(try string())\"") }
        return value
    }

    func int(default value: Int) throws -> Int {
        exists ? try int() : value
    }

    func bool(default value: Bool) throws -> Bool {
        guard exists else { return value }
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error("expected true or false, got \"\(other)\"")
        }
    }

    func duration() throws -> Duration {
        let text = try string()
        guard let duration = DurationText.parse(text) else {
            throw error("expected a duration such as 30s, 5m, 1h or 1h30m, got \"\(text)\"")
        }
        return duration
    }

    func duration(default value: Duration) throws -> Duration {
        exists ? try duration() : value
    }
}
