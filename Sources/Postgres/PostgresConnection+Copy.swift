import CLibPQ

// COPY … TO STDOUT / FROM STDIN. Data moves one libpq buffer (one row for COPY OUT) at a time;
// nothing accumulates in this layer. COPY takes no parameters, so the SQL must be our own text.

extension PostgresConnection {
    /// Runs `COPY … TO STDOUT` and passes each chunk to `consumer` as it arrives. The chunk's
    /// memory is valid only during the call. Returns the number of rows copied.
    /// If `consumer` throws, the rest of the data is read and dropped (so the connection stays
    /// usable) and the consumer's error is rethrown.
    @discardableResult
    public func copyOut(_ sql: String, to consumer: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try flushOpeningStatements()
        let handle = try liveHandle()
        try Self.rejectNUL(sql)
        try startCopy(sql, expecting: PGRES_COPY_OUT, handle: handle, name: "copyOut needs COPY … TO STDOUT")
        var consumerError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if consumerError == nil {
                    do {
                        try consumer(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    } catch {
                        consumerError = error
                    }
                }
                continue
            }
            if let buffer { PQfreemem(buffer) }
            break  // -1: finished; -2: failed (the final result says why)
        }
        let rows = try finishCopy(handle: handle)
        if let consumerError { throw consumerError }
        return rows
    }

    /// Runs `COPY … FROM STDIN`; `producer` writes the data through the writer. If `producer`
    /// throws, the COPY is aborted on the server (nothing is inserted) and the error rethrown.
    /// Returns the number of rows copied.
    @discardableResult
    public func copyIn(_ sql: String, _ producer: (CopyInWriter) throws -> Void) throws -> Int {
        try flushOpeningStatements()
        let handle = try liveHandle()
        try Self.rejectNUL(sql)
        try startCopy(sql, expecting: PGRES_COPY_IN, handle: handle, name: "copyIn needs COPY … FROM STDIN")
        let writer = CopyInWriter(handle: handle)
        defer { writer.handle = nil }  // a writer that escapes the closure cannot write later
        do {
            try producer(writer)
        } catch {
            _ = PQputCopyEnd(handle, "the data producer failed")
            _ = try? finishCopy(handle: handle)
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            _ = try? finishCopy(handle: handle)
            throw failure(from: nil)
        }
        return try finishCopy(handle: handle)
    }

    private func startCopy(
        _ sql: String, expecting status: ExecStatusType, handle: OpaquePointer, name: String
    ) throws {
        roundTrips += 1
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        guard let result else { throw failure(from: nil) }
        let actual = PQresultStatus(result)
        if actual == status { return }
        if actual == PGRES_COPY_OUT || actual == PGRES_COPY_IN || actual == PGRES_COPY_BOTH {
            abandonCopy()
            throw PostgresError.misuse(name)
        }
        if actual == PGRES_FATAL_ERROR || actual == PGRES_BAD_RESPONSE || actual == PGRES_NONFATAL_ERROR {
            throw failure(from: result)
        }
        throw PostgresError.misuse(name)
    }

    /// Collects every remaining result after a COPY; returns the row count of the last one or
    /// throws its error. Each result is cleared.
    private func finishCopy(handle: OpaquePointer) throws -> Int {
        var firstError: PostgresError?
        var rows = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK:
                rows = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
            case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
                // Should not happen after the data phase; leave the state rather than loop.
                abandonCopy()
                return rows
            default:
                firstError = firstError ?? failure(from: result)
            }
        }
        if PQstatus(handle) != CONNECTION_OK {
            throw firstError.map { error -> PostgresError in
                if case .lostConnection = error { return error }
                return .lostConnection(message: error.description)
            } ?? .lostConnection(message: Self.errorMessage(of: handle))
        }
        if let firstError { throw firstError }
        return rows
    }

    /// Gets the session out of a COPY state it entered unexpectedly (e.g. COPY sent through
    /// `query`): drains COPY OUT data, refuses COPY IN, and clears the remaining results.
    func abandonCopy() {
        guard let handle else { return }
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            if length < 0 { break }
        }
        _ = PQputCopyEnd(handle, "COPY is not supported through this call")
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_COPY_OUT || status == PGRES_COPY_IN || status == PGRES_COPY_BOTH { break }
        }
    }
}

/// Writes COPY FROM STDIN data. Valid only inside the `copyIn` producer closure.
public final class CopyInWriter {
    var handle: OpaquePointer?

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// Sends bytes (any split is fine: COPY data is a byte stream).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle else { throw PostgresError.misuse("CopyInWriter used after copyIn returned") }
        guard !bytes.isEmpty else { return }
        let status = bytes.withMemoryRebound(to: CChar.self) { chars in
            PQputCopyData(handle, chars.baseAddress, Int32(clamping: chars.count))
        }
        guard status == 1 else {
            throw PostgresError.lostConnection(message: PostgresConnection.errorMessage(of: handle))
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}
