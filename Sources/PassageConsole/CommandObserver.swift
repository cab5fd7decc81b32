import Metrics
import Logging
import PassageServices

/// The one log line and the metrics of every console command (Docs/operations.md "Logs and
/// metrics"): its name (never its arguments: a line may hold a password or personal data), the
/// signed-in user, the reply code and the time from the line's arrival in the task to its reply.
///
/// One per connection, used by that connection's task only (hence unchecked Sendable): it keeps
/// the counters and timers it used, so a command already seen costs no look-up in the registry.
final class CommandObserver: @unchecked Sendable {
    let logger: Logger
    let factory: any MetricsFactory
    private var counters: [CounterKey: Counter] = [:]
    private var timers: [String: Metrics.Timer] = [:]

    private struct CounterKey: Hashable {
        let command: String
        let code: Int
    }

    init(logger: Logger, factory: any MetricsFactory) {
        self.logger = logger
        self.factory = factory
    }

    /// PING through the task is logged at debug: monitors send it many times a second
    /// (Docs/performance.md "Console"); it is still counted.
    func record(requestID: String, user: String?, command: String, code: Int, duration: Duration) {
        let level: Logger.Level = command == "PING" ? .debug : .info
        logger.log(
            level: level, "command",
            metadata: RequestRecord.metadata(
                requestID: requestID, user: user, command: command, code: code, duration: duration))
        counter(command, code).increment()
        timer(command).recordNanoseconds(Self.nanoseconds(duration))
    }

    private func counter(_ command: String, _ code: Int) -> Counter {
        let key = CounterKey(command: command, code: code)
        if let known = counters[key] { return known }
        let made = Counter(
            label: MetricNames.consoleCommands, dimensions: [("command", command), ("code", "\(code)")],
            factory: factory)
        counters[key] = made
        return made
    }

    private func timer(_ command: String) -> Metrics.Timer {
        if let known = timers[command] { return known }
        let made = Metrics.Timer(
            label: MetricNames.consoleCommandDuration, dimensions: [("command", command)], factory: factory)
        timers[command] = made
        return made
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
