import CLibPQ

/// One libpq session. Synchronous and blocking: use it from one thread at a time (a pool
/// hands each connection to one body at a time, on a thread where blocking is allowed).
///
/// Every PGresult is cleared before the call that produced it returns, on every path, and the
/// PGconn is finished by `close()` or, at the latest, by deinit.
public final class PostgresConnection {
    var handle: OpaquePointer?
    /// SQL text + parameter types → name of the server-side prepared statement.
    var preparedStatements: [StatementKey: String] = [:]
    var nextStatementNumber = 0
    /// The transaction, its savepoints and the statements waiting to travel with the next
    /// statement or with COMMIT, as one state value.
    var pipeline = TransactionPipeline()
    /// Round trips to the server so far (each wait for a reply: a statement, a pipeline, a
    /// prepare, a COPY), for tests and diagnostics of how chatty a piece of work is.
    public internal(set) var roundTrips = 0
    /// Since when the server's cached plans for this session were made (`discardPlans(olderThan:)`).
    var plansMadeAt = ContinuousClock.now
    /// Written by libpq's notice receiver; must live as long as the PGconn.
    let signals = SessionSignals()

    /// Beyond this many distinct statements, new ones run unprepared: bounds server memory when
    /// a program builds many one-off SQL texts.
    static let preparedStatementLimit = 512

    struct StatementKey: Hashable {
        let sql: String
        let types: [UInt32]
    }

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        close()
    }

    /// Opens a session from a keyword string (`host=/tmp/pg dbname=cases user=passage`) or a
    /// URL (`postgresql://user@host:5432/cases`), with `timeouts` (connect, statement, lock;
    /// settings in the string itself win). Sets `application_name` to passage unless the
    /// string names one, and client_encoding UTF8, DateStyle ISO, TimeZone UTC, bytea_output hex
    /// (the formats the decoders read).
    public static func connect(_ conninfoOrURL: String, timeouts: PostgresTimeouts = .standard) throws
        -> PostgresConnection
    {
        try PostgresConnectionString.validate(conninfoOrURL)
        let parameters = try timeouts.connectParameters(for: conninfoOrURL)
        let handle: OpaquePointer? = withCStringArray(parameters.map(\.keyword)) { keywordPointers in
            withCStringArray(parameters.map(\.value)) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw PostgresError.connectionFailed(kind: .other, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = errorMessage(of: handle)
            PQfinish(handle)
            throw PostgresError.connectionFailed(kind: .classify(message), message: message)
        }
        let connection = PostgresConnection(handle: handle)
        connection.installNoticeReceiver()
        try connection.executeScript(
            "SET DateStyle TO 'ISO, MDY'; SET TimeZone TO 'UTC'; SET bytea_output TO 'hex'")
        return connection
    }

    /// True while the session is usable. Reads (without blocking) anything the server sent
    /// meanwhile, so a backend that was terminated while idle is noticed here.
    public var isHealthy: Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK, signals.terminationMessage == nil else {
            return false
        }
        // Read what arrived while idle and let libpq parse it: a FATAL sent by a terminating
        // backend reaches the notice receiver, which records it.
        guard PQconsumeInput(handle) == 1 else { return false }
        _ = PQisBusy(handle)
        return PQstatus(handle) == CONNECTION_OK && signals.terminationMessage == nil
    }

    /// The server process id of this session (what pg_terminate_backend takes).
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// Where this session is connected (as libpq resolved it): host or socket directory, port,
    /// user and database. Empty strings once closed.
    public var host: String { handle.flatMap { PQhost($0) }.map { String(cString: $0) } ?? "" }
    public var port: String { handle.flatMap { PQport($0) }.map { String(cString: $0) } ?? "" }
    public var user: String { handle.flatMap { PQuser($0) }.map { String(cString: $0) } ?? "" }
    public var database: String { handle.flatMap { PQdb($0) }.map { String(cString: $0) } ?? "" }

    /// True while a transaction block is open (also when it is aborted).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        if pipeline.beginWaiting { return true }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Ends the session. Safe to call twice.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
        preparedStatements.removeAll()
    }

    /// Runs a statement and returns its rows.
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        try run(query) { PostgresRows(result: $0) }
    }

    /// Runs a statement and returns how many rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run(query) { result in
            PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        }
    }

    /// Runs several `;`-separated statements with the simple protocol. Takes no parameters, so
    /// use it only for SQL written by us (migration files, session setup), never with input.
    public func executeScript(_ sql: String) throws {
        try flushOpeningStatements()
        let handle = try liveHandle()
        try Self.rejectNUL(sql)
        roundTrips += 1
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try checkCommandResult(result)
    }

    // MARK: - Internals shared with transactions and COPY

    func liveHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError.misuse("the connection is closed") }
        try pipeline.checkMayRun()
        return try openHandle(handle)
    }

    /// `handle`, unless the session is gone; for the one path that runs after the pipeline
    /// stopped taking statements (`queryCommitting`'s own pipeline).
    func openHandle(_ handle: OpaquePointer) throws -> OpaquePointer {
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError.lostConnection(message: Self.errorMessage(of: handle))
        }
        return handle
    }

    static func rejectNUL(_ sql: String) throws {
        if sql.utf8.contains(0) { throw PostgresError.misuse("SQL text contains a NUL byte") }
    }

    static func errorMessage(of handle: OpaquePointer) -> String {
        guard let pointer = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: pointer).trimmingTrailingWhitespace()
        return text.isEmpty ? "unknown libpq error" : text
    }

    /// Turns a failed (or missing) result into the right typed error. A result whose session
    /// has gone bad, or whose SQLSTATE means the backend is gone, is a lost connection.
    func failure(from result: OpaquePointer?) -> PostgresError {
        let serverError = result.flatMap { PostgresServerError(result: $0) }
        let connectionBad = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        if connectionBad || serverError?.meansConnectionLost == true {
            let message = serverError?.message ?? handle.map(Self.errorMessage(of:)) ?? "connection closed"
            return .lostConnection(message: message)
        }
        if let serverError { return .server(serverError) }
        if let result, let text = PQresultErrorMessage(result), text.pointee != 0 {
            return .unexpected(String(cString: text).trimmingTrailingWhitespace())
        }
        return .unexpected(handle.map(Self.errorMessage(of:)) ?? "no result")
    }

    /// Accepts command/tuples/empty results; converts errors; leaves COPY states cleanly.
    func checkCommandResult(_ result: OpaquePointer?) throws {
        guard let result else { throw failure(from: nil) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
            abandonCopy()
            throw PostgresError.misuse("COPY must be run with copyOut(_:to:) or copyIn(_:_:)")
        default:
            throw failure(from: result)
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}

/// Calls `body` with a NULL-terminated array of C strings valid for the call's duration.
func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    pointers.append(nil)
    return body(pointers.map { $0.map { UnsafePointer($0) } })
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
