import Foundation

/// Tocsin's one JSON dialect, shared by the API, exports and the CLI: UTC times with
/// milliseconds, sorted keys, readable indentation.
public enum TocsinJSON {
    /// Encoder shared by the API and exports: ISO 8601 UTC times with milliseconds, sorted keys.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTime.string(date))
        }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTime.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 time such as 2026-11-21T10:00:00Z, got \"\(text)\"")
            }
            return date
        }
        return decoder
    }()
}
