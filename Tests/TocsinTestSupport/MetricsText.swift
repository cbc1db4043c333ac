import Foundation

/// A scrape of `/metrics` read the way Prometheus reads the text format: one sample per line,
/// a name, labels in braces and a value; `#` lines are comments.
public struct MetricsText: Sendable, CustomStringConvertible {
    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        func matches(_ name: String, _ wanted: [String: String]) -> Bool {
            self.name == name && wanted.allSatisfy { key, value in labels[key] == value }
        }
    }

    public let text: String
    public let samples: [Sample]

    public init(_ text: String) throws {
        self.text = text
        samples = try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(Self.sample)
    }

    /// The sample of `name` whose labels include all of `labels`; nil when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.matches(name, labels) }?.value
    }

    /// The sum over every sample of `name` whose labels include all of `labels`: 0 when there is none.
    public func total(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { $0.matches(name, labels) }.map(\.value).reduce(0, +)
    }

    /// The `# TYPE` line's type of a metric family.
    public func type(of family: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("# TYPE \(family) ") }.map { String($0.split(separator: " ").last ?? "") }
    }

    public var description: String { text }

    private static func sample(_ line: Substring) throws -> Sample {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            throw HarnessFailure("not a sample line: \(line)")
        }
        let series = line[..<space]
        guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: brace)...].dropLast()
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            rest = rest[rest.index(equals, offsetBy: 2)...]
            var value = ""
            var escaped = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            labels[key] = value
        }
        return Sample(name: String(series[..<brace]), labels: labels, value: value)
    }
}
