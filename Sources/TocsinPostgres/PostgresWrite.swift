import PostgresNIO

/// One insert, update or delete that nobody reads an answer from. Written like a statement
/// (`"UPDATE page SET status = \(status) WHERE id = \(id)"`), and kept with what it touches, so
/// that a session can send several of them as one statement (`CombinedWrite`) and pay one
/// round trip to the server for all.
struct PostgresWrite: ExpressibleByStringInterpolation, Sendable {
    /// How a write touches its table, which decides what may share a statement with it.
    enum Access: Equatable, Sendable {
        /// Adds rows and reads none: any number of these may go together.
        case inserts
        /// Reads rows (an update, a delete, an insert that updates on conflict): it must see
        /// every earlier write to the rows it may touch, so it never shares a statement with one.
        case changes
    }

    private(set) var statement: PostgresStatement
    /// The incidents whose rows alone this write touches; nil when it may touch any row.
    var incidents: Set<Int64>?

    /// The table written and how, read from the statement's first words.
    let table: String
    let access: Access

    init(stringLiteral value: String) {
        self.init(PostgresStatement(stringLiteral: value))
    }

    init(stringInterpolation: PostgresStatement.StringInterpolation) {
        self.init(PostgresStatement(stringInterpolation: stringInterpolation))
    }

    init(_ statement: PostgresStatement) {
        self.statement = statement
        guard case .text(let head) = statement.pieces.first else { preconditionFailure("a write starts with its SQL") }
        let words = head.split(maxSplits: 3, whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" }).prefix(3).map { $0.uppercased() }
        switch words.first {
        case "INSERT": (table, access) = (words[2].lowercased(), Self.updatesOnConflict(statement) ? .changes : .inserts)
        case "UPDATE": (table, access) = (words[1].lowercased(), .changes)
        case "DELETE": (table, access) = (words[2].lowercased(), .changes)
        default: preconditionFailure("not an insert, update or delete: \(head)")
        }
    }

    private static let doUpdate = Array("DO UPDATE".utf8)

    /// Whether an insert updates the row it meets (`ON CONFLICT … DO UPDATE`), which reads it.
    /// Compared byte by byte: the generic string searches cost a third of an opening's work.
    private static func updatesOnConflict(_ statement: PostgresStatement) -> Bool {
        statement.pieces.contains { piece in
            guard case .text(var text) = piece else { return false }
            return text.withUTF8 { bytes in
                bytes.count >= doUpdate.count && (0...(bytes.count - doUpdate.count)).contains { start in
                    doUpdate.indices.allSatisfy { bytes[start + $0] == doUpdate[$0] }
                }
            }
        }
    }

    /// Adds the rows of `other`, the same insert with other values, to this one's `VALUES`
    /// list, after its own; false, and nothing changed, if `other` is not that.
    mutating func appendRows(of other: PostgresWrite) -> Bool {
        // Compared with this statement's first row (its pieces but the last) and its end, which
        // stay as they were however many rows follow.
        let pieces = statement.pieces, others = other.statement.pieces
        guard access == .inserts, other.access == .inserts, table == other.table, others.count > 2, pieces.count >= others.count,
              case .text(let head) = pieces.first, head.hasSuffix("("), case .text(let tail) = pieces.last, tail.hasPrefix(")"),
              zip(pieces.prefix(others.count - 1) + [pieces.last!], others).allSatisfy({ mine, theirs in
                  switch (mine, theirs) {
                  case (.text(let a), .text(let b)): a == b
                  case (.text, _), (_, .text): false
                  default: true
                  }
              })
        else { return false }
        statement = PostgresStatement(pieces: pieces.dropLast() + [.text("), (")] + others.dropFirst())
        incidents = incidents.flatMap { mine in other.incidents.map { mine.union($0) } }
        return true
    }

    /// Whether this write may be sent in one statement with `other`, which came before it: rows
    /// added need see nothing written before them, but a change must see every earlier write to
    /// the rows it may touch.
    func mayFollow(_ other: PostgresWrite) -> Bool {
        guard table == other.table, access == .changes else { return true }
        guard let incidents, let others = other.incidents else { return false }
        return incidents.isDisjoint(with: others)
    }

    var valueCount: Int { statement.valueCount }
}
