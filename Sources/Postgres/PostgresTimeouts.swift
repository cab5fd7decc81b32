import CLibPQ

/// The three limits every connection starts with, so that no caller waits without end: on a
/// server that does not answer (`connect`, libpq's `connect_timeout`), on a statement that runs
/// away (`statement`, the server's `statement_timeout`), on a lock another transaction holds
/// (`lock`, `lock_timeout`). nil leaves the server's own setting (by default: no limit).
///
/// The connection string has the last word: a `connect_timeout=` or an `options='-c
/// statement_timeout=…'` written there wins over these, so an operator can loosen or tighten
/// one database's limits without a new flag.
public struct PostgresTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var statement: Duration?
    public var lock: Duration?

    public init(connect: Duration = .seconds(10), statement: Duration?, lock: Duration?) {
        self.connect = connect
        self.statement = statement
        self.lock = lock
    }

    /// Casework: short transactions on a handful of rows. What `connect` and a pool use unless
    /// told otherwise; `passage serve` sets its casework pool from `--statement-timeout` and
    /// `--lock-timeout`, whose defaults these are.
    public static let standard = PostgresTimeouts(connect: .seconds(10), statement: .seconds(30), lock: .seconds(5))
    /// Heavy queries (STATS, GAPS and the GAPS rollup refresh): the same, with room for a long
    /// aggregate (`--heavy-statement-timeout`, default 120 s).
    public static let heavy = PostgresTimeouts(connect: .seconds(10), statement: .seconds(120), lock: .seconds(5))
    /// Maintenance run by an operator (migrations, export, import, reclassification, demo
    /// data): statements as long as the database's size needs, and locks waited for, since a
    /// half-done run is worse than a slow one; connecting is still bounded.
    public static let maintenance = PostgresTimeouts(connect: .seconds(10), statement: nil, lock: nil)

    /// libpq's `connect_timeout`: whole seconds, rounded up; libpq treats anything under 2 as 2.
    var connectSeconds: Int {
        let (seconds, attoseconds) = connect.components
        return max(2, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// Server options (`-c name=value`, in milliseconds) for the limits that are set.
    var serverOptions: String {
        [("statement_timeout", statement), ("lock_timeout", lock)]
            .compactMap { name, limit in limit.map { "-c \(name)=\(Self.milliseconds($0))" } }
            .joined(separator: " ")
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        // At least 1 ms: 0 would mean "no limit" to the server.
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// The keyword/value pairs for `PQconnectdbParams` (with `expand_dbname`) that open
    /// `conninfo` with these limits. Order matters: a keyword later in the list overrides an
    /// earlier one, and `dbname` expands into the connection string's own settings. So
    /// `connect_timeout` goes before it (the string's own wins), and `options` after it, carrying
    /// these limits first and the string's own options behind them (the server applies `-c`
    /// settings in order, so the string's own win there too).
    func connectParameters(for conninfo: String) throws -> [(keyword: String, value: String)] {
        let ownOptions = try Self.options(of: conninfo)
        let options = [serverOptions, ownOptions].filter { !$0.isEmpty }.joined(separator: " ")
        var parameters = [
            ("fallback_application_name", "passage"), ("connect_timeout", "\(connectSeconds)"),
            ("dbname", conninfo), ("client_encoding", "UTF8"),
        ]
        if !options.isEmpty { parameters.append(("options", options)) }
        return parameters.map { (keyword: $0.0, value: $0.1) }
    }

    /// The `options` a connection string sets, or "" (also for a bare database name).
    static func options(of conninfo: String) throws -> String {
        guard conninfo.contains("=") || conninfo.hasPrefix("postgres") else { return "" }
        var errorPointer: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &errorPointer) else {
            if let errorPointer { PQfreemem(errorPointer) }
            throw PostgresError.connectionFailed(kind: .invalidConnectionString, message: "libpq could not parse it")
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "options", let value = option.pointee.val { return String(cString: value) }
            option += 1
        }
        return ""
    }
}
