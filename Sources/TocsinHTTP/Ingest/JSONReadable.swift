/// A type an ingest endpoint reads out of a `JSONValue`, with errors that name the field.
///
/// Takes `Decodable`'s place on the ingest path, where `JSONDecoder` cost more than the rest
/// of the request.
protocol JSONReadable {
    init(json: JSONValue) throws(JSONShapeError)
}

extension String: JSONReadable {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .string(let text) = json else { throw JSONShapeError(expected: "a string", found: json) }
        self = text
    }
}

extension Int: JSONReadable {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .number(let number) = json, let integer = Int(exactly: number) else {
            throw JSONShapeError(expected: "an integer", found: json)
        }
        self = integer
    }
}

extension Dictionary: JSONReadable where Key == String, Value == String {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .object(let object) = json else { throw JSONShapeError(expected: "an object of string values", found: json) }
        self.init(minimumCapacity: object.fields.count)
        for (key, value) in object.fields {
            do {
                self[key] = try String(json: value)
            } catch {
                throw error.within(key)
            }
        }
    }
}

extension Array: JSONReadable where Element: JSONReadable {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .array(let items) = json else { throw JSONShapeError(expected: "an array", found: json) }
        self.init()
        reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            do {
                append(try Element(json: item))
            } catch {
                throw error.within(index: index)
            }
        }
    }
}
