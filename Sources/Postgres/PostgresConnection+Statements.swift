import CLibPQ

// Running parameterised statements. Each distinct SQL text (with its parameter types) is
// prepared once per connection and afterwards executed by name: the server then skips parsing
// and planning, which is most of the cost of a short primary-key lookup.

extension PostgresConnection {
    /// Runs `query` and hands its successful result to `body`; the result is cleared on every
    /// path before this returns.
    func run<R>(_ query: PostgresQuery, _ body: (OpaquePointer) throws -> R) throws -> R {
        if let reason = query.invalidReason { throw PostgresError.misuse(reason) }
        let handle = try liveHandle()
        let key = StatementKey(sql: query.sql, types: query.binds.map(\.type.rawValue))
        // A cached statement's text was checked when it was prepared.
        if preparedStatements[key] == nil { try Self.rejectNUL(query.sql) }

        if !pipeline.waiting.isEmpty {
            // The statements waiting for this one go first, in the same round trip.
            let name = try preparedName(for: key, handle: handle)
            let statements = try pipeline.waiting.map(preparedForPipeline) + [(query, name)]
            _ = try pipeline.takeWaiting()
            let result: OpaquePointer
            do {
                result = try runPipelined(statements)
            } catch let PostgresError.server(error) where error.sqlState == "0A000" && name != nil {
                preparedStatements[key] = nil  // as below; no retry: a transaction was hurt
                throw PostgresError.server(error)
            }
            defer { PQclear(result) }
            return try body(result)
        }
        var mayRetry = true
        while true {
            let name = try preparedName(for: key, handle: handle)
            roundTrips += 1
            let result = Self.withParameters(query.binds) { values, lengths, formats in
                if let name {
                    return PQexecPrepared(
                        handle, name, Int32(query.binds.count), values, lengths, formats, 0)
                }
                return PQexecParams(
                    handle, query.sql, Int32(query.binds.count), key.types, values, lengths, formats, 0)
            }
            defer { PQclear(result) }
            do {
                try checkCommandResult(result)
            } catch let PostgresError.server(error) where error.sqlState == "0A000" && name != nil {
                // "cached plan must not change result type": the table changed under a
                // prepared SELECT *. Forget the statement; retry once if no transaction was hurt.
                preparedStatements[key] = nil
                if mayRetry && !isInTransaction && pipeline.depth == 0 {
                    mayRetry = false
                    continue
                }
                throw PostgresError.server(error)
            }
            // Safe: checkCommandResult throws when result is nil.
            guard let result else { throw failure(from: nil) }
            return try body(result)
        }
    }

    /// A statement for a pipeline, with its prepared statement's name (prepared now, in a round
    /// trip of its own, the first time this connection sees it). Opening and closing statements
    /// (BEGIN, the scope, the audit append, COMMIT) repeat on every transaction: prepared, the
    /// server skips parsing and planning them each time, as for any other statement.
    func preparedForPipeline(_ query: PostgresQuery) throws -> (query: PostgresQuery, prepared: String?) {
        try preparedForPipeline(query, on: try liveHandle())
    }

    func preparedForPipeline(_ query: PostgresQuery, on handle: OpaquePointer) throws -> (
        query: PostgresQuery, prepared: String?
    ) {
        let key = StatementKey(sql: query.sql, types: query.binds.map(\.type.rawValue))
        return (query, try preparedName(for: key, handle: handle))
    }

    /// The prepared statement name for `key`, preparing it now if needed; nil when the cache is
    /// full (the statement then runs unnamed).
    private func preparedName(for key: StatementKey, handle: OpaquePointer) throws -> String? {
        if let name = preparedStatements[key] { return name }
        guard preparedStatements.count < Self.preparedStatementLimit else { return nil }
        nextStatementNumber += 1
        let name = "passage_\(nextStatementNumber)"
        roundTrips += 1
        let result = PQprepare(handle, name, key.sql, Int32(key.types.count), key.types)
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw failure(from: result)
        }
        preparedStatements[key] = name
        return name
    }

    /// Lays the binary parameter values out in one buffer and passes libpq's three arrays.
    static func withParameters<R>(
        _ binds: [PostgresBind],
        _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) -> R
    ) -> R {
        if binds.isEmpty { return body([], [], []) }
        let total = binds.reduce(0) { $0 + ($1.bytes?.count ?? 0) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { buffer.deallocate() }
        var values: [UnsafePointer<CChar>?] = []
        var lengths: [Int32] = []
        values.reserveCapacity(binds.count)
        lengths.reserveCapacity(binds.count)
        guard let base = buffer.baseAddress else { return body([], [], []) }
        var offset = 0
        for bind in binds {
            guard let bytes = bind.bytes else {
                values.append(nil)
                lengths.append(0)
                continue
            }
            let start = base + offset
            bytes.withUnsafeBytes { source in
                if let base = source.baseAddress { start.copyMemory(from: base, byteCount: source.count) }
            }
            values.append(UnsafePointer(start.assumingMemoryBound(to: CChar.self)))
            lengths.append(Int32(clamping: bytes.count))
            offset += bytes.count
        }
        let formats = [Int32](repeating: 1, count: binds.count)
        return body(values, lengths, formats)
    }
}
