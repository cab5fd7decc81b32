import Logging
import Postgres

/// A privilege the database refused at run time (SQLSTATE 42501): the client gets a 451 that
/// names no object, so the operator must find the object in the log. The server's message names
/// it ("permission denied for table needs"); it carries no personal data.
public enum PrivilegeDenial {
    public static let sqlState = "42501"

    public static let logger = Logger(label: "passage.database")

    /// True when `error` is the database refusing a privilege.
    public static func matches(_ error: any Error) -> Bool {
        (error as? PostgresError)?.serverError?.sqlState == sqlState
    }

    /// Logs the refusal with the object it names and where to look, and returns the log line's text.
    @discardableResult
    public static func log(_ error: any Error, logger: Logger = PrivilegeDenial.logger) -> String? {
        guard let server = (error as? PostgresError)?.serverError, server.sqlState == sqlState else { return nil }
        let text =
            "the database refused a privilege: \(server.message); the server's database role lacks a grant "
            + "(Docs/operations.md \"External PostgreSQL with least privilege\"; restart the server to list every missing grant)"
        var metadata: Logger.Metadata = ["sqlstate": "\(server.sqlState)"]
        if let table = server.table { metadata["table"] = "\(table)" }
        if let hint = server.hint { metadata["hint"] = "\(hint)" }
        logger.error("\(text)", metadata: metadata)
        return text
    }
}
