/// Markup the console builds, where whatever is interpolated as text is escaped.
///
/// Alert summaries, labels, notes and names come from outside and are hostile until proven
/// otherwise. Interpolating a `String` (or anything described as one) into `HTML` always
/// escapes it; only another `HTML` value is inserted as markup, so forgetting to escape is
/// not something a view can do.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral value: String) { markup = value }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Markup made of parts, one after another.
    init(joining parts: some Sequence<HTML>) { markup = parts.map(\.markup).joined() }

    var description: String { markup }

    static let empty: HTML = ""

    struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { markup += literal }

        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        mutating func appendInterpolation(_ parts: [HTML]) { markup += parts.map(\.markup).joined() }

        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }

        mutating func appendInterpolation<Value: CustomStringConvertible>(_ value: Value) { markup += HTML.escape(value.description) }
    }

    /// Text as it must appear in an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
