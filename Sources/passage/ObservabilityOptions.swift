import ArgumentParser
import Logging
import PassageConsole
import PassageServices
import Synchronization

/// `--log-format` and `--log-level` of `passage serve` and of every operator command that logs
/// (migrate, export, import, erase-expired, demo, upgrade-cluster, reclassify, pii-key rotate and
/// convert), one option group so they read alike everywhere. Docs/operations.md "Logs and metrics".
struct LogOptions: ParsableArguments {
    @Option(
        name: .customLong("log-format"),
        help: "Log lines on standard error: text, or json (one object a line: time, level, logger, message, fields).")
    var logFormat: String = "text"
    @Option(
        name: .customLong("log-level"),
        help:
            "Least severe level logged: trace, debug, info (every command and request; the default), notice, warning, error, critical."
    )
    var logLevel: String?

    func validate() throws {
        _ = try format()
        _ = try level()
    }

    func format() throws -> LogFormat {
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ValidationError("--log-format must be text or json, not \(logFormat)")
        }
        return format
    }

    /// The level asked for, or `quiet` when none was: a command that keeps its own output terse
    /// (upgrade-cluster: notice) still logs everything when the operator asks for it.
    func level(unless quiet: Logger.Level = .info) throws -> Logger.Level {
        guard let logLevel else { return quiet }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError(
                "--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \(logLevel)"
            )
        }
        return level
    }

    /// Sets the process's log handler before any logger of the command is made. Once per process
    /// (swift-log refuses a second bootstrap): a command run again in the same process, as tests
    /// do, keeps the first handler.
    func bootstrapLogging(unless quiet: Logger.Level = .info) throws {
        let format = try format()
        let level = try level(unless: quiet)
        Self.bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in format.handler(label: label, level: level) }
        }
    }

    private static let bootstrapped = Mutex(false)
}

/// `--log-format`, `--log-level` (LogOptions) and `--metrics-listen` of `passage serve`
/// (settable in the configuration file and as PASSAGE_LOG_FORMAT, PASSAGE_LOG_LEVEL,
/// PASSAGE_METRICS_LISTEN like every option of serve). Docs/operations.md "Logs and metrics".
struct ObservabilityOptions: ParsableArguments {
    @OptionGroup var log: LogOptions
    @Option(
        name: .customLong("metrics-listen"),
        help:
            "Address:port of the Prometheus /metrics listener (not the public HTTP port; loopback unless --insecure), or off."
    )
    var metricsListen: String = "127.0.0.1:7413"

    func validate() throws {
        _ = try MetricsAddress.parse(metricsListen)
    }

    func format() throws -> LogFormat { try log.format() }
    func level() throws -> Logger.Level { try log.level() }
    func bootstrapLogging() throws { try log.bootstrapLogging() }
}

/// `--metrics-listen`: `host:port`, `[v6]:port`, or `off`.
struct MetricsAddress: Equatable {
    var host: String
    var port: Int

    /// nil for `off`.
    static func parse(_ text: String) throws -> MetricsAddress? {
        if text == "off" { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            throw ValidationError(
                "--metrics-listen must be host:port (e.g. 127.0.0.1:7413, [::1]:7413) or off, not \(text)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(":") || text.hasPrefix("[") else {
            throw ValidationError("--metrics-listen: write an IPv6 address in brackets, e.g. [::1]:7413, not \(text)")
        }
        return MetricsAddress(host: host, port: port)
    }

    var isLoopback: Bool { ListenAddress.isLoopback(host) }
}
