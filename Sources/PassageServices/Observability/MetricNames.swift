/// Every metric Passage exports (Prometheus text on `--metrics-listen`), in one place so the
/// documentation (Docs/operations.md "Logs and metrics") and the code agree.
public enum MetricNames {
    /// Counter; dimensions `command` (verbs, or `(unknown)`), `code` (the reply code).
    public static let consoleCommands = "passage_console_commands_total"
    /// Histogram (seconds); dimension `command`. Not recorded for a PING answered on the event loop.
    public static let consoleCommandDuration = "passage_console_command_duration_seconds"
    /// Gauge: console connections open now.
    public static let consoleConnections = "passage_console_connections"
    /// Counter; dimensions `operation` (the OpenAPI operation id, a web page's route, or `(unmatched)`), `status`.
    public static let httpRequests = "passage_http_requests_total"
    /// Histogram (seconds); dimension `operation`.
    public static let httpRequestDuration = "passage_http_request_duration_seconds"
    /// Gauge: HTTP requests being answered now.
    public static let httpRequestsInFlight = "passage_http_requests_in_flight"
    /// Histogram (seconds); dimension `pool` (`casework`, `heavy`): time from asking for a database
    /// connection to getting one (0 when one was free).
    public static let poolWait = "passage_db_pool_wait_seconds"
    /// Counter; dimensions `pool`, `class` (the SQLSTATE's first two characters, `08` connection
    /// failures, `57` operator intervention/timeouts, `40` serialization, `42` privileges …; `pool` for a
    /// pool timeout).
    public static let databaseErrors = "passage_db_errors_total"
    /// Gauge: seconds since the GAPS rollup was last refreshed (absent until the first refresh).
    public static let gapsRollupAge = "passage_gaps_rollup_age_seconds"
    /// Gauge: entries in the audit chain, read at each anchor check.
    public static let auditChainLength = "passage_audit_chain_length"
}
