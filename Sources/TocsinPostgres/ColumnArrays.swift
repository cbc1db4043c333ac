import NIOCore
import PostgresNIO

/// An insert of several rows sent as one array a column (`unnest`), so that its text is the
/// same however many rows it has: a connection prepares it once, where a `VALUES` list has a
/// text of its own for every number of rows, parsed and planned each time it runs.
///
/// `INSERT INTO t (a, b, c) VALUES ($1, 'x', $2), ($3, 'x', $4)` becomes
/// `INSERT INTO t (a, b, c) SELECT c0, 'x', c1 FROM unnest($1::BIGINT[], $2::TEXT[])
/// WITH ORDINALITY AS r (c0, c1, ord) ORDER BY ord`: the rows in the order written, so that
/// their ids keep that order as the `VALUES` list's do.
enum ColumnArrays {
    /// `insert` as arrays; nil when it has one row, is not a `VALUES` list of rows of one
    /// shape, or a column's values are not all of one type that has an array type here.
    static func statement(_ insert: PostgresStatement) -> PostgresStatement? {
        let pieces = insert.pieces
        guard pieces.count > 4, case .text(let head) = pieces.first, head.hasSuffix(valuesHead),
              case .text(let tail) = pieces.last, tail.hasPrefix(")"),
              let separator = pieces.firstIndex(where: { if case .text(let text) = $0 { text == rowSeparator } else { false } })
        else { return nil }
        let width = separator - 1
        let rows = (pieces.count - 1) / (width + 1)
        guard width % 2 == 1, rows >= 2, rows * (width + 1) + 1 == pieces.count else { return nil }
        let template = Array(pieces[1...width])
        var columns: [[PostgresStatement.Piece]] = Array(repeating: [], count: (width + 1) / 2)
        for row in 0..<rows {
            let start = 1 + row * (width + 1)
            if row > 0 { guard case .text(rowSeparator) = pieces[start - 1] else { return nil } }
            for offset in 0..<width {
                let piece = pieces[start + offset]
                if offset % 2 == 1 {
                    guard case .text(let text) = piece, case .text(text) = template[offset] else { return nil }
                } else {
                    columns[offset / 2].append(piece)
                }
            }
        }
        let arrays = columns.compactMap(ColumnArray.init)
        guard arrays.count == columns.count else { return nil }

        var statement = PostgresStatement(stringLiteral: String(head.dropLast(valuesHead.count)) + "SELECT ")
        for (offset, piece) in template.enumerated() {
            statement.append(offset % 2 == 0 ? PostgresStatement(stringLiteral: "c\(offset / 2)") : PostgresStatement(pieces: [piece]))
        }
        statement.append(" FROM unnest(")
        for (index, array) in arrays.enumerated() {
            if index > 0 { statement.append(", ") }
            statement.append(PostgresStatement(pieces: [.value(array)]))
        }
        let names = arrays.indices.map { "c\($0)" }.joined(separator: ", ")
        statement.append(PostgresStatement(stringLiteral: ") WITH ORDINALITY AS r (\(names), ord) ORDER BY ord" + String(tail.dropFirst())))
        return statement
    }

    private static let valuesHead = "VALUES ("
    private static let rowSeparator = "), ("
}

/// One column's values as a PostgreSQL array in its binary form, with NULLs where a row has none.
private struct ColumnArray: PostgresThrowingDynamicTypeEncodable {
    let psqlType: PostgresDataType
    var psqlFormat: PostgresFormat { .binary }
    private let element: PostgresDataType
    private let values: [PostgresStatement.Piece]

    /// The array types of the element types the store writes.
    private static let arrayTypes: [PostgresDataType: PostgresDataType] = [
        .bool: .boolArray, .bytea: .byteaArray, .int2: .int2Array, .int4: .int4Array, .int8: .int8Array,
        .text: .textArray, .varchar: .varcharArray, .float4: .float4Array, .float8: .float8Array,
        .json: .jsonArray, .jsonb: .jsonbArray,
    ]

    init?(_ values: [PostgresStatement.Piece]) {
        var element: PostgresDataType?
        for value in values {
            let type: PostgresDataType
            switch value {
            case .value(let value):
                guard value.psqlFormat == .binary else { return nil }
                type = value.psqlType
            case .null(let null):
                type = null
            case .text:
                return nil
            }
            guard element == nil || element == type else { return nil }
            element = type
        }
        guard let element, let array = Self.arrayTypes[element] else { return nil }
        self.element = element
        psqlType = array
        self.values = values
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        let hasNull = values.contains { if case .null = $0 { true } else { false } }
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int32(hasNull ? 1 : 0))
        buffer.writeInteger(element.rawValue)
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(Int32(1))
        for value in values {
            guard case .value(let value) = value else {
                buffer.writeInteger(Int32(-1))
                continue
            }
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            try value.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - lengthAt - 4), at: lengthAt)
        }
    }
}
