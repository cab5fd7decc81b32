import CLibPQ

// Statements a transaction runs last, sent together with its COMMIT in one round trip (libpq's
// pipeline mode). Why: an audited transaction appends its audit entry under the audit chain's
// row lock, which is held until COMMIT, so every audited transaction in the server passes through
// that window one at a time. Sent with the COMMIT, the append and the commit run back to back in
// the server: no round trip to this process (and no wait for one of its threads to be
// scheduled) happens while the lock is held. Docs/performance.md "REFER" has the measurements.

extension PostgresConnection {
    /// Runs `query` as one of the last statements of the current transaction, in order with the
    /// others queued, just before COMMIT and in the same round trip. Its failure fails the
    /// commit: the transaction rolls back and `transaction` throws the error. A savepoint that
    /// rolls back drops the statements queued inside it. Outside a transaction it runs now.
    public func runAtCommit(_ query: PostgresQuery) throws {
        if let reason = query.invalidReason { throw PostgresError.misuse(reason) }
        try Self.rejectNUL(query.sql)
        if try pipeline.queueAtCommit(query) == .runNow {
            try execute(query)
        }
    }

    /// COMMIT, preceded by the queued statements (and by opening statements still waiting, the
    /// BEGIN among them when the body ran nothing else), as one pipeline. Throws the first
    /// failure; the caller rolls back (after a failure the server skipped the rest, COMMIT
    /// included). A transaction that never sent anything ends without a round trip.
    func commitWithQueuedStatements() throws {
        guard case .send(let statements) = try pipeline.commit() else { return }
        let last = try runPipelined(try (statements + ["COMMIT"]).map(preparedForPipeline))
        PQclear(last)
        guard let handle, PQtransactionStatus(handle) == PQTRANS_IDLE else {
            throw PostgresError.unexpected("COMMIT did not end the transaction")
        }
    }
}

extension PostgresConnection {
    /// Runs `query` as the last statement of the current transaction and commits, in one round
    /// trip with the statements still waiting to open the transaction and those queued for its
    /// COMMIT; returns the query's rows once the transaction has committed. For a transaction
    /// whose last statement takes the audit chain's lock (an insert that appends its own audit
    /// entry): the lock is then held for the commit only, and the work costs one round trip
    /// fewer. The transaction ends here: `transaction` does not commit again, and a statement
    /// the body runs after this is refused. In a savepoint (a nested transaction) the outer
    /// transaction commits later, so the query just runs.
    public func queryCommitting(_ query: PostgresQuery) throws -> PostgresRows {
        if let reason = query.invalidReason { throw PostgresError.misuse(reason) }
        let handle = try liveHandle()
        // From here on, also after a failure (the caller's transaction then rolls back), nothing
        // else may run in this transaction.
        guard case .send(let opening, let closing) = try pipeline.commitWith() else { return try self.query(query) }
        let statements = try (opening + [query] + closing + ["COMMIT"]).map { try preparedForPipeline($0, on: handle) }
        let result = try runPipelined(statements, keep: opening.count, on: handle)
        defer { PQclear(result) }
        guard PQtransactionStatus(handle) == PQTRANS_IDLE else {
            throw PostgresError.unexpected("COMMIT did not end the transaction")
        }
        return PostgresRows(result: result)
    }
}
