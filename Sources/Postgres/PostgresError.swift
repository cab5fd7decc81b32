/// Every failure the Postgres layer reports. Callers switch on the case; the associated
/// text is what a person needs to see to fix it (server message, column name, wait time).
public enum PostgresError: Error, Sendable, CustomStringConvertible {
    /// Could not open a connection: bad host, refused, authentication, missing database.
    /// `message` is libpq's/the server's own wording; `kind` is a best-effort classification.
    case connectionFailed(kind: ConnectionFailureKind, message: String)
    /// The server rejected a statement; carries SQLSTATE, message, detail, hint, constraint.
    case server(PostgresServerError)
    /// The connection died while in use (server terminated, network gone). The connection is
    /// unusable afterwards; a pool discards it.
    case lostConnection(message: String)
    /// No pooled connection became free within the pool's acquire timeout.
    case poolTimeout(waited: Duration, poolSize: Int)
    /// The pool was shut down before or while waiting for a connection.
    case poolClosed
    /// A column value could not be turned into the requested Swift type (NULL into a
    /// non-optional among them). `index` is the column's 0-based position in the row.
    case decoding(column: String, index: Int, expected: String, got: String)
    /// A column index or name that the result does not have.
    case noSuchColumn(String)
    /// A value could not be encoded as a bound parameter (for example a String containing NUL).
    case encoding(String)
    /// The API was used in a way it does not support (e.g. a closed connection, a query with no
    /// result where rows were expected).
    case misuse(String)
    /// The server answered with something this layer did not expect (protocol-level surprise).
    case unexpected(String)

    public var description: String {
        switch self {
        case .connectionFailed(let kind, let message):
            return "could not connect to PostgreSQL (\(kind)): \(message)"
        case .server(let error):
            return error.description
        case .lostConnection(let message):
            return "lost the connection to PostgreSQL: \(message)"
        case .poolTimeout(let waited, let size):
            return "timed out after \(waited) waiting for a free PostgreSQL connection "
                + "(all \(size) pooled connections are in use)"
        case .poolClosed:
            return "the PostgreSQL connection pool has been shut down"
        case .decoding(let column, let index, let expected, let got):
            return "column \(index) \"\(column)\": cannot decode \(got) as \(expected)"
        case .noSuchColumn(let name):
            return "the result has no column \(name)"
        case .encoding(let message):
            return "cannot encode parameter: \(message)"
        case .misuse(let message):
            return "invalid use of the Postgres layer: \(message)"
        case .unexpected(let message):
            return "unexpected answer from PostgreSQL: \(message)"
        }
    }

    /// The typed server error, if this is one.
    public var serverError: PostgresServerError? {
        if case .server(let error) = self { return error }
        return nil
    }
}

/// Why a connection attempt failed. Derived from libpq's message text, because libpq reports
/// connection failures as text only (no SQLSTATE before the session exists).
public enum ConnectionFailureKind: String, Sendable, CustomStringConvertible {
    case unreachableHost
    case authenticationFailed
    case unknownRole
    case missingDatabase
    case invalidConnectionString
    case other

    public var description: String { rawValue }

    static func classify(_ message: String) -> ConnectionFailureKind {
        let m = message.lowercased()
        if m.contains("database") && m.contains("does not exist") { return .missingDatabase }
        if m.contains("role") && m.contains("does not exist") { return .unknownRole }
        if m.contains("password authentication failed") || m.contains("no password supplied")
            || m.contains("authentication failed") || m.contains("pg_hba.conf")
        {
            return .authenticationFailed
        }
        if m.contains("invalid connection option") || m.contains("missing \"=\"")
            || m.contains("invalid uri") || m.contains("invalid percent-encoded")
            || m.contains("unterminated quoted string") || m.contains("invalid integer value")
        {
            return .invalidConnectionString
        }
        if m.contains("could not translate host name") || m.contains("connection refused")
            || m.contains("could not connect") || m.contains("no such file or directory")
            || m.contains("timeout expired") || m.contains("network is unreachable")
            || m.contains("no route to host")
        {
            return .unreachableHost
        }
        return .other
    }
}
