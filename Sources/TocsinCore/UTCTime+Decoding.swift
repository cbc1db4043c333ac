import Foundation

extension KeyedDecodingContainer {
    /// A time written by `UTCTime.string`, refused with the key's name when it is not one.
    func decodeUTCTime(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = UTCTime.date(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not an ISO 8601 time")
        }
        return date
    }

    /// The same, nil when the key is absent or null.
    func decodeUTCTimeIfPresent(forKey key: Key) throws -> Date? {
        try contains(key) && !decodeNil(forKey: key) ? decodeUTCTime(forKey: key) : nil
    }
}
