import CLibPQ

/// An error reported by the PostgreSQL server for one statement, with its SQLSTATE.
public struct PostgresServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case uniqueViolation  // 23505
        case foreignKeyViolation  // 23503
        case notNullViolation  // 23502
        case checkViolation  // 23514
        case exclusionViolation  // 23P01
        case serializationFailure  // 40001
        case deadlock  // 40P01
        case queryCanceled  // 57014 (statement_timeout, cancel)
        case syntaxError  // 42601
        case undefinedTable  // 42P01
        case undefinedColumn  // 42703
        case other
    }

    public let sqlState: String
    public let severity: String
    public let message: String
    public let detail: String?
    public let hint: String?
    public let constraint: String?
    public let table: String?
    public let column: String?

    public init(
        sqlState: String, severity: String = "ERROR", message: String, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var kind: Kind {
        switch sqlState {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "23502": return .notNullViolation
        case "23514": return .checkViolation
        case "23P01": return .exclusionViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57014": return .queryCanceled
        case "42601": return .syntaxError
        case "42P01": return .undefinedTable
        case "42703": return .undefinedColumn
        default: return .other
        }
    }

    /// Serialization failures and deadlocks are the errors that a retry of the whole
    /// transaction is expected to cure.
    public var isRetryable: Bool { kind == .serializationFailure || kind == .deadlock }

    /// SQLSTATEs that mean the session is gone (class 08 connection exception, 57P01–57P03
    /// admin/crash shutdown): the connection must be discarded, not reused.
    var meansConnectionLost: Bool {
        sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02"
            || sqlState == "57P03"
    }

    /// 25006 read_only_sql_transaction: a write reached a server that is (now) a standby, such
    /// as a primary demoted by a failover while this session stayed open. The session must be
    /// discarded so that the next one finds the new primary (`target_session_attrs`). A READ
    /// ONLY transaction on a primary says the same; discarding its session costs a reconnect.
    var meansReadOnlyServer: Bool { sqlState == "25006" }

    public var description: String {
        var text = "\(severity) \(sqlState): \(message)"
        if let detail { text += " — DETAIL: \(detail)" }
        if let hint { text += " — HINT: \(hint)" }
        return text
    }

    /// Reads the diagnostic fields of a failed result. Returns nil when the result carries no
    /// SQLSTATE (libpq-side failures such as a dropped socket).
    init?(result: OpaquePointer) {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue,
                let pointer = PQresultErrorField(result, Int32(ascii))
            else { return nil }
            return String(cString: pointer)
        }
        guard let state = field("C") else { return nil }
        self.init(
            sqlState: state,
            severity: field("V") ?? field("S") ?? "ERROR",
            message: field("M") ?? "",
            detail: field("D"),
            hint: field("H"),
            constraint: field("n"),
            table: field("t"),
            column: field("c"))
    }
}
