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
        guard transactionDepth > 0 else {
            try execute(query)
            return
        }
        if let reason = query.invalidReason { throw PostgresError.misuse(reason) }
        try Self.rejectNUL(query.sql)
        commitStatements.append(query)
    }

    /// COMMIT, preceded by the queued statements, as one pipeline. Throws the first failure; the
    /// caller rolls back (after a failure the server skipped the rest, COMMIT included).
    func commitWithQueuedStatements() throws {
        let queued = commitStatements
        commitStatements.removeAll()
        if queued.isEmpty {
            try executeScript("COMMIT")
            return
        }
        let handle = try liveHandle()
        guard PQenterPipelineMode(handle) == 1 else { throw failure(from: nil) }
        var firstFailure: PostgresError?
        for query in queued where firstFailure == nil {
            let sent = Self.withParameters(query.binds) { values, lengths, formats in
                PQsendQueryParams(handle, query.sql, Int32(query.binds.count), query.binds.map(\.type.rawValue),
                                  values, lengths, formats, 0)
            }
            if sent != 1 { firstFailure = failure(from: nil) }
        }
        if firstFailure == nil, PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) != 1 {
            firstFailure = failure(from: nil)
        }
        if firstFailure == nil, PQpipelineSync(handle) != 1 { firstFailure = failure(from: nil) }
        if firstFailure == nil {
            firstFailure = readPipelineResults(handle, statements: queued.count + 1)
        }
        if PQexitPipelineMode(handle) != 1, firstFailure == nil { firstFailure = failure(from: nil) }
        if let firstFailure { throw firstFailure }
        guard PQtransactionStatus(handle) == PQTRANS_IDLE else {
            throw PostgresError.unexpected("COMMIT did not end the transaction")
        }
    }

    /// Reads the results of `statements` pipelined statements and the sync that follows them;
    /// returns the first failure. Each statement's results end with a NULL; a NULL where the
    /// sync should be means the connection broke.
    private func readPipelineResults(_ handle: OpaquePointer, statements: Int) -> PostgresError? {
        var firstFailure: PostgresError?
        var ended = 0
        while true {
            guard let result = PQgetResult(handle) else {
                ended += 1
                if ended > statements { return firstFailure ?? failure(from: nil) }
                continue
            }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                return firstFailure
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                continue
            case PGRES_PIPELINE_ABORTED:
                // skipped because an earlier statement failed; that failure is the one to report
                continue
            default:
                if firstFailure == nil { firstFailure = failure(from: result) }
                if PQstatus(handle) != CONNECTION_OK { return firstFailure }
            }
        }
    }
}
