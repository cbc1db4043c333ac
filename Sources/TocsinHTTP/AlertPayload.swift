import Foundation
import TocsinCore

/// Tocsin's own JSON alert, as `POST /api/v1/alerts` takes it.
///
/// Strict on purpose: an unknown field is usually a typo that would otherwise silently
/// drop information, so it is refused with its name.
struct AlertPayload: Decodable {
    var report: AlertReport

    static let fields = ["source", "dedup_key", "summary", "service", "labels", "status", "starts_at"]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.first(where: { !Self.fields.contains($0.stringValue) }) {
            throw PayloadError.unknownField(unknown.stringValue, allowed: Self.fields)
        }
        func text(_ name: String) throws -> String {
            let value = try container.decode(String.self, forKey: Key(stringValue: name))
            guard value.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { throw PayloadError.empty(name) }
            return value
        }
        let statusText = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "status")) ?? "firing"
        guard let status = AlertStatus(rawValue: statusText) else { throw PayloadError.badStatus(statusText) }
        let startsText = try text("starts_at")
        guard let startsAt = UTCTime.date(startsText) else { throw PayloadError.badTime("starts_at", startsText) }
        report = AlertReport(
            source: try text("source"),
            dedupKey: try text("dedup_key"),
            summary: try text("summary"),
            service: try text("service"),
            labels: try container.decodeIfPresent([String: String].self, forKey: Key(stringValue: "labels")) ?? [:],
            status: status,
            startsAt: startsAt
        )
    }

    /// Decodes one alert object or an array of them; errors say which alert and which field.
    static func decodeBatch(_ data: Data) throws -> [AlertReport] {
        let first = data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        guard first == UInt8(ascii: "[") || first == UInt8(ascii: "{") else {
            throw Problem.badRequest("The body is not valid JSON: expected an alert object or an array of them.")
        }
        let reports: [AlertReport]
        do {
            reports = first == UInt8(ascii: "[") ? try decoder.decode([AlertPayload].self, from: data).map(\.report)
                                                 : [try decoder.decode(AlertPayload.self, from: data).report]
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw Problem.badRequest("The body is not valid JSON: \(context.debugDescription)")
        } catch let error as DecodingError {
            throw Problem.badRequest(Self.describe(error))
        } catch let error as PayloadError {
            throw Problem.badRequest(error.description)
        }
        guard !reports.isEmpty else { throw Problem.badRequest("The batch is empty; send at least one alert.") }
        return reports
    }

    private static let decoder = JSONDecoder()

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field \(at(context.codingPath + [key])); an alert needs \(fields.filter { $0 != "labels" && $0 != "status" }.joined(separator: ", "))."
        case .typeMismatch(let type, let context):
            if let underlying = context.underlyingError as? PayloadError { return underlying.description }
            return "Wrong type at \(at(context.codingPath)): expected \(type == String.self ? "a string" : "\(type)")."
        case .valueNotFound(_, let context):
            return "Field \(at(context.codingPath)) is null; give it a value."
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? PayloadError { return underlying.description }
            return "Invalid value at \(at(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A field-level reason an alert payload is refused.
enum PayloadError: Error, CustomStringConvertible {
    case unknownField(String, allowed: [String])
    case empty(String)
    case badStatus(String)
    case badTime(String, String)

    var description: String {
        switch self {
        case .unknownField(let name, let allowed): "Unknown field \"\(name)\"; an alert has only: \(allowed.joined(separator: ", "))."
        case .empty(let name): "Field \(name) is empty; give it a value."
        case .badStatus(let value): "Field status is \"\(value)\"; expected \"firing\" or \"resolved\"."
        case .badTime(let name, let value): "Field \(name) is \"\(value)\"; expected an ISO 8601 time such as 2026-11-21T10:00:00Z."
        }
    }
}
