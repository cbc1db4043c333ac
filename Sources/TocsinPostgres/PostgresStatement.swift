import NIOCore
import PostgresNIO

/// A statement as the store writes it (`"SELECT * FROM incident WHERE id = \(id)"`), kept as
/// its text and values. Each value goes to the server as a parameter cast to its own type
/// (`$1::BIGINT`), so that the text alone says what every parameter is: a connection can
/// prepare it once and afterwards send only the values (`PreparedStatements`), and writes can
/// be gathered into one statement (`CombinedWrite`).
struct PostgresStatement: ExpressibleByStringInterpolation, Sendable {
    enum Piece: Sendable {
        case text(String)
        case value(any PostgresThrowingDynamicTypeEncodable & Sendable)
        case null(PostgresDataType)
    }

    private(set) var pieces: [Piece]

    init(stringLiteral value: String) {
        pieces = [.text(value)]
    }

    init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
    }

    init(pieces: [Piece]) {
        self.pieces = pieces
    }

    static func + (left: PostgresStatement, right: PostgresStatement) -> PostgresStatement {
        var joined = left
        joined.append(right)
        return joined
    }

    mutating func append(_ other: PostgresStatement) {
        for piece in other.pieces { Self.add(piece, to: &pieces) }
    }

    /// Adds `piece`, joining text to the text before it.
    private static func add(_ piece: Piece, to pieces: inout [Piece]) {
        if case .text(let text) = piece, case .text(let last) = pieces.last {
            pieces[pieces.count - 1] = .text(last + text)
        } else {
            pieces.append(piece)
        }
    }

    var valueCount: Int {
        pieces.reduce(0) { count, piece in if case .text = piece { count } else { count + 1 } }
    }

    /// The text with numbered parameters, and their values encoded. The values are encoded one
    /// after another into one buffer and handed on as slices of it: a buffer each cost an
    /// allocation each, a thousand for a hundred alerts.
    func rendered() throws -> (sql: String, values: [PostgresData]) {
        var sql = ""
        var encoded = ByteBuffer()
        var parameters: [(type: PostgresDataType, format: PostgresFormat, bytes: Range<Int>?)] = []
        parameters.reserveCapacity(valueCount)
        for piece in pieces {
            switch piece {
            case .text(let text):
                sql += text
            case .value(let value):
                let start = encoded.writerIndex
                try value.encode(into: &encoded, context: .default)
                parameters.append((value.psqlType, value.psqlFormat, start..<encoded.writerIndex))
                sql += Self.parameter(parameters.count, value.psqlType)
            case .null(let type):
                parameters.append((type, .binary, nil))
                sql += Self.parameter(parameters.count, type)
            }
        }
        let values = parameters.map { parameter in
            PostgresData(type: parameter.type, formatCode: parameter.format,
                         value: parameter.bytes.map { encoded.getSlice(at: $0.lowerBound, length: $0.count)! })
        }
        return (sql, values)
    }

    private static func parameter(_ number: Int, _ type: PostgresDataType) -> String {
        type.knownSQLName.map { "$\(number)::\($0)" } ?? "$\(number)"
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate(set) var pieces: [Piece] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(2 * interpolationCount + 1)
        }

        mutating func appendLiteral(_ literal: String) {
            PostgresStatement.add(.text(literal), to: &pieces)
        }

        mutating func appendInterpolation(_ value: some PostgresThrowingDynamicTypeEncodable & Sendable) {
            pieces.append(.value(value))
        }

        mutating func appendInterpolation<Value: PostgresEncodable & Sendable>(_ value: Value?) {
            pieces.append(value.map { .value($0) } ?? .null(Value.psqlType))
        }

        /// Text Tocsin wrote itself, never a value that came in with a request.
        mutating func appendInterpolation(unescaped text: String) {
            appendLiteral(text)
        }
    }
}
