import PostgresNIO

/// One insert, update or delete that nobody reads an answer from. Written like a
/// `PostgresQuery` (`"UPDATE page SET status = \(status) WHERE id = \(id)"`), but kept as its
/// text and values, so that a session can send several of them as one statement
/// (`CombinedWrite`) and pay one round trip to the server for all.
struct PostgresWrite: ExpressibleByStringInterpolation, Sendable {
    enum Piece: Sendable {
        case text(String)
        case value(any PostgresThrowingDynamicTypeEncodable & Sendable)
        case null
    }

    /// How a write touches its table, which decides what may share a statement with it.
    enum Access: Equatable, Sendable {
        /// Adds rows and reads none: any number of these may go together.
        case inserts
        /// Reads rows (an update, a delete, an insert that updates on conflict): it must see
        /// every earlier write to the rows it may touch, so it never shares a statement with one.
        case changes
    }

    private(set) var pieces: [Piece]
    /// The incidents whose rows alone this write touches; nil when it may touch any row.
    var incidents: Set<Int64>?

    /// The table written and how, read from the statement's first words.
    let table: String
    let access: Access

    init(stringLiteral value: String) {
        self.init(pieces: [.text(value)])
    }

    init(stringInterpolation: StringInterpolation) {
        self.init(pieces: stringInterpolation.pieces)
    }

    private init(pieces: [Piece]) {
        self.pieces = pieces
        guard case .text(let head) = pieces.first else { preconditionFailure("a write starts with its SQL") }
        let words = head.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" }).prefix(3).map { $0.uppercased() }
        let updatesOnConflict = pieces.contains { if case .text(let text) = $0 { text.contains("DO UPDATE") } else { false } }
        switch words.first {
        case "INSERT": (table, access) = (words[2].lowercased(), updatesOnConflict ? .changes : .inserts)
        case "UPDATE": (table, access) = (words[1].lowercased(), .changes)
        case "DELETE": (table, access) = (words[2].lowercased(), .changes)
        default: preconditionFailure("not an insert, update or delete: \(head)")
        }
    }

    /// Adds the rows of `other`, the same insert with other values, to this one's `VALUES`
    /// list, after its own; false, and nothing changed, if `other` is not that.
    mutating func appendRows(of other: PostgresWrite) -> Bool {
        guard access == .inserts, other.access == .inserts, table == other.table, pieces.count > 2, pieces.count == other.pieces.count,
              case .text(let head) = pieces.first, head.hasSuffix("("), case .text(let tail) = pieces.last, tail.hasPrefix(")"),
              zip(pieces, other.pieces).allSatisfy({ mine, theirs in
                  switch (mine, theirs) {
                  case (.text(let a), .text(let b)): a == b
                  case (.text, _), (_, .text): false
                  default: true
                  }
              })
        else { return false }
        pieces.removeLast()
        pieces.append(.text("), ("))
        pieces += other.pieces.dropFirst()
        incidents = incidents.flatMap { mine in other.incidents.map { mine.union($0) } }
        return true
    }

    /// Whether this write may be sent in one statement with `other`, which came before it.
    func mayFollow(_ other: PostgresWrite) -> Bool {
        guard table == other.table, access == .changes || other.access == .changes else { return true }
        guard let incidents, let others = other.incidents else { return false }
        return incidents.isDisjoint(with: others)
    }

    var valueCount: Int {
        pieces.reduce(0) { count, piece in if case .text = piece { count } else { count + 1 } }
    }

    /// Appends this write's text and values to a query being built.
    func append(to query: inout PostgresQuery.StringInterpolation) throws {
        for piece in pieces {
            switch piece {
            case .text(let text): query.appendLiteral(text)
            case .value(let value): try query.appendInterpolation(value)
            case .null: query.appendInterpolation(Optional<Int64>.none)
            }
        }
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate(set) var pieces: [Piece] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(2 * interpolationCount + 1)
        }

        mutating func appendLiteral(_ literal: String) {
            if case .text(let text) = pieces.last {
                pieces[pieces.count - 1] = .text(text + literal)
            } else {
                pieces.append(.text(literal))
            }
        }

        mutating func appendInterpolation(_ value: some PostgresThrowingDynamicTypeEncodable & Sendable) {
            pieces.append(.value(value))
        }

        mutating func appendInterpolation(_ value: (some PostgresThrowingDynamicTypeEncodable & Sendable)?) {
            pieces.append(value.map { .value($0) } ?? .null)
        }
    }
}
