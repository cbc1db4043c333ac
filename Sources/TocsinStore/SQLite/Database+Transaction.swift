import GRDB

extension Database {
    /// Runs `body` in an immediate transaction whose BEGIN and COMMIT are compiled once per
    /// connection. GRDB's own `write` compiles both afresh for every transaction, which costs
    /// as much as recording a whole alert; the paths that commit for every request use this.
    /// On any error the transaction is rolled back and the error rethrown.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body()
            try cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            if isInsideTransaction { try? cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
            throw error
        }
    }
}
