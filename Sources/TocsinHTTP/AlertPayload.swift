import Foundation
import TocsinCore

/// Tocsin's own JSON alert, as `POST /api/v1/alerts` takes it.
///
/// Strict on purpose: an unknown field is usually a typo that would otherwise silently
/// drop information, so it is refused with its name. `starts_at` may be left out by someone
/// reporting a fault by hand: the time it was received stands in, and the alert says so.
struct AlertPayload {
    var report: AlertReport

    static let fields = ["source", "dedup_key", "summary", "service", "labels", "status", "starts_at"]

    /// What an alert records when its start was not given.
    static let startDefaulted = "starts_at_defaulted"
    static let startDefaultedNote = "not given; the time Tocsin received the alert stands in"

    init(json: JSONValue, receivedAt: Date) throws {
        let object = try JSONObject(json)
        if let unknown = object.fields.first(where: { !Self.fields.contains($0.key) }) {
            throw PayloadError.unknownField(unknown.key, allowed: Self.fields)
        }
        // A null where a value may be left out is refused too: `"status": null` read as firing
        // would turn a sender's mistaken resolve into a page.
        if let null = object.fields.first(where: { if case .null = $0.value { true } else { false } }) {
            throw JSONShapeError(.null, at: null.key)
        }
        func text(_ name: String) throws -> String {
            let value: String = try object.required(name)
            guard value.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { throw PayloadError.empty(name) }
            return value
        }
        let statusText: String = try object.optional("status") ?? "firing"
        guard let status = AlertStatus(rawValue: statusText) else { throw PayloadError.badStatus(statusText) }
        var startsAt = receivedAt
        var details: [String: String] = [:]
        if object.fields.contains(where: { $0.key == "starts_at" }) {
            let startsText = try text("starts_at")
            guard let given = UTCTime.date(startsText) else { throw PayloadError.badTime("starts_at", startsText) }
            startsAt = given
        } else {
            details[Self.startDefaulted] = Self.startDefaultedNote
        }
        report = AlertReport(
            source: try text("source"),
            dedupKey: try text("dedup_key"),
            summary: try text("summary"),
            service: try text("service"),
            labels: try object.optional("labels") ?? [:],
            status: status,
            startsAt: startsAt,
            details: details
        )
    }

    /// Reads one alert object or an array of them; errors say which alert and which field.
    static func decodeBatch(_ data: Data, receivedAt: Date) throws -> [AlertReport] {
        let json = try IngestEndpoint.parse(data)
        let reports: [AlertReport]
        do {
            switch json {
            case .array(let items):
                reports = try items.enumerated().map { index, item in
                    do {
                        return try AlertPayload(json: item, receivedAt: receivedAt).report
                    } catch let error as JSONShapeError {
                        throw error.within(index: index)
                    }
                }
            case .object:
                reports = [try AlertPayload(json: json, receivedAt: receivedAt).report]
            default:
                throw Problem.badRequest("Wrong type at the body: expected an alert object or an array of them, not \(json.kind).")
            }
        } catch let error as JSONShapeError {
            throw Problem.badRequest(Self.describe(error))
        } catch let error as PayloadError {
            throw Problem.badRequest(error.description)
        }
        guard !reports.isEmpty else { throw Problem.badRequest("The batch is empty; send at least one alert.") }
        return reports
    }

    private static func describe(_ error: JSONShapeError) -> String {
        switch error.kind {
        case .missing:
            "Missing field \(error.location); an alert needs \(fields.filter { !["labels", "status", "starts_at"].contains($0) }.joined(separator: ", "))."
        case .null:
            "Field \(error.location) is null; give it a value."
        case .wrongType(let expected, let found):
            "Wrong type at \(error.location): expected \(expected), not \(found)."
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
