import CLibPQ

// Several statements in one round trip (libpq's pipeline mode). A transaction's opening
// statements (BEGIN, entering an organisation's scope) return nothing the program needs, so they
// travel with the transaction's first real statement instead of costing a round trip each; its
// closing statements (the audit append) travel with COMMIT (+CommitBatch). Each round trip is a
// wake-up of a PostgreSQL backend and of a pool thread, which on a loaded machine is also a wait
// for a CPU: REFER went from five round trips to three (Docs/performance.md "REFER").

extension PostgresConnection {
    /// Sends `query` together with the next statement this connection runs, pipelined before it
    /// in one round trip. Its result is not returned; if it fails, the statement it travels with
    /// throws its error (and is skipped by the server). For statements whose only result is
    /// success: BEGIN, entering a scope, `set_config`.
    public func runWithNext(_ query: PostgresQuery) throws {
        if let reason = query.invalidReason { throw PostgresError.misuse(reason) }
        try Self.rejectNUL(query.sql)
        try pipeline.queueWithNext(query)
    }

    /// Sends statements waiting for the next one now, on their own: for the paths that cannot
    /// join a pipeline (simple-protocol scripts, COPY).
    func flushOpeningStatements() throws {
        guard !pipeline.waiting.isEmpty else { return }
        let statements = try pipeline.takeWaiting()
        PQclear(try runPipelined(try statements.map(preparedForPipeline)))
    }

    /// Sends `statements` (each with its prepared statement's name, or nil to send the SQL) as
    /// one pipeline and reads every result. Returns the result of the statement at `keep` (the
    /// last by default), which the caller must clear; throws the first failure (the server skips
    /// every statement after it).
    func runPipelined(
        _ statements: [(query: PostgresQuery, prepared: String?)], keep: Int? = nil,
        on givenHandle: OpaquePointer? = nil
    ) throws -> OpaquePointer {
        let handle = try givenHandle.map(openHandle) ?? liveHandle()
        guard PQenterPipelineMode(handle) == 1 else { throw failure(from: nil) }
        roundTrips += 1
        var firstFailure: PostgresError?
        for (query, prepared) in statements where firstFailure == nil {
            let sent = Self.withParameters(query.binds) { values, lengths, formats in
                if let prepared {
                    return PQsendQueryPrepared(handle, prepared, Int32(query.binds.count), values, lengths, formats, 0)
                }
                return PQsendQueryParams(
                    handle, query.sql, Int32(query.binds.count), query.binds.map(\.type.rawValue),
                    values, lengths, formats, 0)
            }
            if sent != 1 { firstFailure = failure(from: nil) }
        }
        if firstFailure == nil, PQpipelineSync(handle) != 1 { firstFailure = failure(from: nil) }
        var last: OpaquePointer?
        if firstFailure == nil {
            (firstFailure, last) = readPipelineResults(
                handle, statements: statements.count, keep: keep ?? statements.count - 1)
        }
        if PQexitPipelineMode(handle) != 1, firstFailure == nil { firstFailure = failure(from: nil) }
        if let firstFailure {
            PQclear(last)
            throw firstFailure
        }
        guard let last else { throw PostgresError.unexpected("a pipeline ended without the result asked for") }
        return last
    }

    /// Reads the results of `statements` pipelined statements and the sync after them. Returns
    /// the first failure, or the result of the statement at `keep`. Each statement's results end
    /// with a NULL; a NULL where the sync should be means the connection broke.
    private func readPipelineResults(_ handle: OpaquePointer, statements: Int, keep: Int) -> (
        PostgresError?, OpaquePointer?
    ) {
        var firstFailure: PostgresError?
        var last: OpaquePointer?
        var ended = 0
        while true {
            guard let result = PQgetResult(handle) else {
                ended += 1
                if ended > statements {
                    PQclear(last)
                    return (firstFailure ?? failure(from: nil), nil)
                }
                continue
            }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                PQclear(result)
                return (
                    firstFailure,
                    firstFailure == nil
                        ? last
                        : {
                            PQclear(last)
                            return nil
                        }()
                )
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                if ended == keep && last == nil {
                    last = result
                } else {
                    PQclear(result)
                }
            case PGRES_PIPELINE_ABORTED:
                // skipped because an earlier statement failed; that failure is the one to report
                PQclear(result)
            default:
                if firstFailure == nil { firstFailure = failure(from: result) }
                PQclear(result)
                if PQstatus(handle) != CONNECTION_OK {
                    PQclear(last)
                    return (firstFailure, nil)
                }
            }
        }
    }
}
