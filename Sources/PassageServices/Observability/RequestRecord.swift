import Logging

/// The fields of the one log line every console command and every HTTP request gets
/// (Docs/operations.md "Logs and metrics"). Names, not values: what goes in them is decided by
/// the interfaces, which log a command's *name* and never its arguments, and a request's
/// operation id and never its path or query (both may carry personal data).
public enum RequestRecord {
    /// Console: `c<connection>.<line>`; HTTP: a random id, also sent back as `X-Request-Id`.
    public static let requestID = "request_id"
    /// The signed-in account's user name; absent before sign-in.
    public static let user = "user"
    /// Console: the command's verb(s) (`CASE SHOW`); HTTP: the operation id (`getCase`).
    public static let command = "command"
    /// Console: the reply code; HTTP: the status.
    public static let code = "code"
    public static let durationMS = "duration_ms"

    /// The line's metadata; `user` only when someone is signed in.
    public static func metadata(
        requestID: String, user: String?, command: String, code: Int, duration: Duration
    ) -> Logger.Metadata {
        var fields: Logger.Metadata = [
            Self.requestID: .string(requestID), Self.command: .string(command), Self.code: .stringConvertible(code),
            durationMS: .string(milliseconds(duration)),
        ]
        if let user { fields[Self.user] = .string(user) }
        return fields
    }

    /// `1.234`: milliseconds with microsecond precision.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let whole = micros / 1000
        let fraction = micros % 1000
        return "\(whole)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }
}
