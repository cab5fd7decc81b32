import CLibPQ

/// Transaction isolation levels PostgreSQL offers.
public enum PostgresIsolation: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` inside BEGIN … COMMIT. Any error thrown by `body` (or by COMMIT) rolls the
    /// transaction back and is rethrown unchanged. Nested calls use savepoints, so an inner
    /// failure undoes only the inner part. `isolation` applies to the outermost level only.
    public func transaction<T>(
        isolation: PostgresIsolation = .readCommitted,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        if pipeline.depth > 0 {
            return try savepoint(body)
        }
        guard !isInTransaction else {
            throw PostgresError.misuse("a transaction was opened by hand (BEGIN) on this connection")
        }
        // Sent with the body's first statement: one round trip fewer.
        try pipeline.begin(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)"))
        defer { pipeline.end() }
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly("ROLLBACK")
            throw error
        }
        if case .committedByBody = pipeline.state { return value }
        // COMMIT of an aborted transaction silently rolls back; a body that swallowed a
        // statement error must not be told it committed.
        if let handle, PQtransactionStatus(handle) == PQTRANS_INERROR {
            rollbackQuietly("ROLLBACK")
            throw PostgresError.misuse(
                "the transaction was aborted by an earlier statement error that the body caught; rolled back")
        }
        do {
            try commitWithQueuedStatements()
        } catch {
            rollbackQuietly("ROLLBACK")
            throw error
        }
        return value
    }

    private func savepoint<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let name = "passage_sp_\(pipeline.depth)"
        try executeScript("SAVEPOINT \(name)")
        _ = try pipeline.enterSavepoint()
        do {
            let value = try body(self)
            try executeScript("RELEASE SAVEPOINT \(name)")
            pipeline.leaveSavepoint(rolledBack: false)
            return value
        } catch {
            pipeline.leaveSavepoint(rolledBack: true)
            rollbackQuietly("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    /// Rolls back, ignoring failure: the original error matters more, and a lost connection
    /// has rolled back on the server anyway.
    func rollbackQuietly(_ sql: String) {
        // Statements not sent yet (the BEGIN among them, when nothing else was) need no undoing.
        pipeline.rollBack()
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE else { return }
        roundTrips += 1
        let result = PQexec(handle, sql)
        PQclear(result)
    }

    /// Prepares a connection that a pool got back for the next user: ends any transaction the
    /// body left open. Returns false when the connection should be discarded instead.
    func resetForReuse() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        pipeline.end()
        if PQtransactionStatus(handle) != PQTRANS_IDLE {
            roundTrips += 1
            let result = PQexec(handle, "ROLLBACK")
            defer { PQclear(result) }
            guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }
}
