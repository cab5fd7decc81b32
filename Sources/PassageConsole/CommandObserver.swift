import Metrics
import Logging
import PassageServices

/// The one log line and the metrics of every console command (Docs/operations.md "Logs and
/// metrics"): its name (never its arguments: a line may hold a password or personal data), the
/// signed-in user, the reply code and the time from the line's arrival in the task to its reply.
struct CommandObserver: Sendable {
    let logger: Logger
    let factory: any MetricsFactory

    /// PING through the task is logged at debug: monitors send it many times a second
    /// (Docs/performance.md "Console"); it is still counted.
    func record(requestID: String, user: String?, command: String, code: Int, duration: Duration) {
        let level: Logger.Level = command == "PING" ? .debug : .info
        logger.log(
            level: level, "command",
            metadata: RequestRecord.metadata(
                requestID: requestID, user: user, command: command, code: code, duration: duration))
        Counter(
            label: MetricNames.consoleCommands, dimensions: [("command", command), ("code", "\(code)")],
            factory: factory
        ).increment()
        Timer(label: MetricNames.consoleCommandDuration, dimensions: [("command", command)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// The counter of PINGs answered on the event loop: counted, not logged, not timed.
    func eventLoopPings() -> Counter {
        Counter(
            label: MetricNames.consoleCommands, dimensions: [("command", "PING"), ("code", "250")], factory: factory)
    }

    func connections() -> Meter {
        Meter(label: MetricNames.consoleConnections, factory: factory)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
