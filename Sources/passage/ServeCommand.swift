import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metrics
import PassageConsole
import PassageCore
import PassageHTTP
import PassageServices
import Prometheus

/// `passage serve`: the console server on its database (embedded by default).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Passage console server.")

    @Option(help: "Address to listen on. Anything but loopback needs TLS (--tls-cert, --tls-key) or --insecure.")
    var listen: String = "127.0.0.1"
    @Option(help: "TCP port of the console.") var port: Int = 7411
    @Option(
        name: .customLong("http-port"),
        help: "TCP port of the HTTP API and web pages, on the --listen address with the same TLS (0: any free port).")
    var httpPort: Int = 7412
    @Flag(name: .customLong("no-http"), help: "Serve the console only, without the HTTP API and web pages.")
    var noHTTP = false
    @Option(
        name: .customLong("http-session-hours"),
        help: "Hours a sign-in through the HTTP API or the web pages lasts (its token, its cookie).")
    var httpSessionHours: Int = 8
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: the console speaks TLS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Flag(help: "Allow listening on a non-loopback address without TLS.") var insecure = false
    @Option(name: .customLong("max-connections"), help: "Connections served at once; more get 421.") var maxConnections:
        Int = 256
    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent before 421 and close.")
    var idleTimeout: Int = 900
    @Option(
        name: .customLong("pool-size"),
        help: "Database connections in the pool, and event loops for console connections.") var poolSize: Int = 8
    @Option(
        name: .customLong("lockout-minutes"),
        help:
            "Longest wait failed sign-ins impose on a user name from an address, or on a network (the waits grow 1 s, 2 s, 4 s … up to this)."
    ) var lockoutMinutes: Int = 15
    @Option(
        name: .customLong("sign-in-timeout"),
        help: "Seconds a connection may stay without a successful AUTH before 421 and close.") var signInTimeout: Int =
            30
    @Option(
        name: .customLong("tls-handshake-timeout"), help: "Seconds a TLS connection may take to finish its handshake.")
    var tlsHandshakeTimeout: Int = 10
    @Option(
        name: .customLong("max-unauthenticated"),
        help:
            "Connections not signed in, in all (default: three quarters of --max-connections; the rest stays for signed-in users)."
    )
    var maxUnauthenticated: Int?
    @Option(
        name: .customLong("max-unauthenticated-per-network"),
        help: "Connections not signed in from one network (IPv4 /24, IPv6 /64).")
    var maxUnauthenticatedPerNetwork: Int = 32
    @Option(name: .customLong("sign-in-checks"), help: "Password checks (bcrypt) running at once; further AUTHs wait.")
    var signInChecks: Int = 2
    @Option(
        name: .customLong("sign-in-rate"),
        help: "AUTH attempts per minute from one network (IPv4 /24, IPv6 /64); beyond, 515 until it refills.")
    var signInRate: Int = 60
    @Option(
        name: .customLong("session-check-interval"),
        help: "Seconds between checks that end idle sessions of users locked, removed or changed elsewhere.")
    var sessionCheckInterval: Int = 5
    @Option(help: "JSON file replacing the OAU 1969 and Cartagena 1984 jurisdiction lists.") var jurisdictions: String?
    @Option(
        help:
            "HXL outputs (STATS, GAPS format=hxl): a CSV mapping ISO 3166-2 areas to OCHA P-codes (iso3166_2,pcode), for an area_pcode column."
    )
    var pcodes: String?
    @Option(
        name: .customLong("pii-key-file"),
        help: "File holding the personal-data key (default: generated in the data directory; or PASSAGE_PII_KEY).")
    var piiKeyFile: String?
    @Option(
        name: .customLong("pii-previous-key-file"),
        help:
            "During a key rotation: file holding the personal-data key being replaced; values it sealed still open (Docs/operations.md \"Rotating the personal-data key\")."
    )
    var piiPreviousKeyFile: String?
    @Option(
        name: .customLong("release-period"),
        help: "STATS counts rows recorded before the start of the current day, week, month (default) or quarter.")
    var releasePeriod: String = "month"
    @Flag(help: "Seed demo users (one per role, printed at start) and synthetic cases; loopback only.") var demo = false
    @Option(
        name: .customLong("gaps-refresh"),
        help: "Minutes between refreshes of the GAPS rollup (0: never; GAPS then reads the base tables).")
    var gapsRefresh: Int = 5
    @Option(
        name: .customLong("audit-anchors"),
        help: "Append-only file of signed audit-chain anchors (default: audit-anchors in the data directory).")
    var auditAnchors: String?
    @Option(
        name: .customLong("audit-anchor-key-file"),
        help:
            "Key signing the audit anchors, never sent to the database (default: audit-anchor.key in the data directory, generated)."
    )
    var auditAnchorKeyFile: String?
    @Option(
        name: .customLong("audit-anchor-interval"),
        help: "Seconds between audit anchors (written only when the chain grew).")
    var auditAnchorInterval: Int = 60
    @Option(
        name: .customLong("heavy-pool-size"),
        help:
            "Database connections for STATS, GAPS and the rollup refresh, apart from casework's; also the heavy queries the server runs at once."
    )
    var heavyPoolSize: Int = 2
    @Option(
        name: .customLong("heavy-queries-per-user"),
        help: "STATS and GAPS one user may have running at once; more get 452.")
    var heavyQueriesPerUser: Int = 1
    @Option(
        name: .customLong("statement-timeout"),
        help: "Seconds a casework statement may run before the database stops it.")
    var statementTimeout: Int = 30
    @Option(
        name: .customLong("heavy-statement-timeout"),
        help: "Seconds a STATS, GAPS or rollup statement may run before the database stops it (452).")
    var heavyStatementTimeout: Int = 120
    @Option(
        name: .customLong("lock-timeout"), help: "Seconds a statement may wait for a lock before it gives up (451).")
    var lockTimeout: Int = 5
    @Option(
        name: .customLong("bulk-rows-per-minute"),
        help: "Rows of lists, AUDIT TAIL and PERSON SHOW one user may read a minute (token bucket; 0: unlimited).")
    var bulkRowsPerMinute: Int = 6_000
    @Flag(
        name: .customLong("ping-on-event-loop"), inversion: .prefixedNo,
        help:
            "Answer PING on the connection's event loop when no reply is owed (Docs/performance.md \"Console\"); off: through the command table."
    )
    var pingOnEventLoop = true
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var observability: ObservabilityOptions
    @OptionGroup var readPool: ReadPoolOptions
    // Read before parsing, with the environment (CommandLineSettings): declared here for --help.
    @Option(
        name: .customLong("config"),
        help:
            "Configuration file of `key = value` lines, keys named like these options (default /etc/passage/passage.conf when it exists; also PASSAGE_CONFIG). Precedence: command line, PASSAGE_* variables, file."
    )
    var configFile: String?

    func validate() throws {
        guard StatisticsReleasePeriod(rawValue: releasePeriod) != nil else {
            throw ValidationError("--release-period must be day, week, month or quarter")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (0...65_535).contains(httpPort) else {
            throw ValidationError("--http-port must be between 0 and 65535")
        }
        if !noHTTP && httpPort != 0 && httpPort == port {
            throw ValidationError("--http-port must differ from --port (\(port))")
        }
        guard (1...720).contains(httpSessionHours) else {
            throw ValidationError("--http-session-hours must be between 1 and 720")
        }
        guard (1...100_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be between 1 and 100000")
        }
        guard (1...86_400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 86400 seconds")
        }
        guard (1...200).contains(poolSize) else { throw ValidationError("--pool-size must be between 1 and 200") }
        guard (1...10_080).contains(lockoutMinutes) else {
            throw ValidationError("--lockout-minutes must be between 1 and 10080")
        }
        guard (0...1_440).contains(gapsRefresh) else {
            throw ValidationError("--gaps-refresh must be between 0 and 1440 minutes")
        }
        guard (1...3_600).contains(signInTimeout) else {
            throw ValidationError("--sign-in-timeout must be between 1 and 3600 seconds")
        }
        guard (1...600).contains(tlsHandshakeTimeout) else {
            throw ValidationError("--tls-handshake-timeout must be between 1 and 600 seconds")
        }
        if let maxUnauthenticated, !(1...maxConnections).contains(maxUnauthenticated) {
            throw ValidationError("--max-unauthenticated must be between 1 and --max-connections (\(maxConnections))")
        }
        guard (1...100_000).contains(maxUnauthenticatedPerNetwork) else {
            throw ValidationError("--max-unauthenticated-per-network must be between 1 and 100000")
        }
        guard (1...64).contains(signInChecks) else {
            throw ValidationError("--sign-in-checks must be between 1 and 64")
        }
        guard (1...100_000).contains(signInRate) else {
            throw ValidationError("--sign-in-rate must be between 1 and 100000 attempts a minute")
        }
        guard (1...3_600).contains(sessionCheckInterval) else {
            throw ValidationError("--session-check-interval must be between 1 and 3600 seconds")
        }
        guard (1...50).contains(heavyPoolSize) else {
            throw ValidationError("--heavy-pool-size must be between 1 and 50")
        }
        guard (1...50).contains(heavyQueriesPerUser) else {
            throw ValidationError("--heavy-queries-per-user must be between 1 and 50")
        }
        for (flag, seconds) in [
            ("--statement-timeout", statementTimeout), ("--heavy-statement-timeout", heavyStatementTimeout),
            ("--lock-timeout", lockTimeout),
        ] {
            guard (1...86_400).contains(seconds) else {
                throw ValidationError("\(flag) must be between 1 and 86400 seconds")
            }
        }
        guard (0...10_000_000).contains(bulkRowsPerMinute) else {
            throw ValidationError("--bulk-rows-per-minute must be between 0 and 10000000")
        }
        guard (1...86_400).contains(auditAnchorInterval) else {
            throw ValidationError("--audit-anchor-interval must be between 1 and 86400 seconds")
        }
        if (auditAnchors == nil) != (auditAnchorKeyFile == nil) {
            throw ValidationError("--audit-anchors and --audit-anchor-key-file go together")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if !Self.isLoopback(listen) && tlsCert == nil && !insecure {
            throw ValidationError(
                "refusing to listen on \(listen) without TLS: the console carries personal data. Give --tls-cert and --tls-key, use 127.0.0.1, or --insecure on a trusted network"
            )
        }
        if let metrics = try MetricsAddress.parse(observability.metricsListen), !metrics.isLoopback, !insecure {
            throw ValidationError(
                "refusing to serve metrics on \(metrics.host): they show who is busy with what. Use a loopback address (the default 127.0.0.1:7413), off, or --insecure on a trusted network"
            )
        }
        if demo && !Self.isLoopback(listen) {
            throw ValidationError("--demo prints demo passwords and only listens on loopback")
        }
        // Read and checked here, so a bad mapping stops the start before any database is opened.
        if let pcodes { _ = try PCodesOption.load(pcodes) }
    }

    /// What the services start with, from the flags.
    func hostOptions(classifier: Classifier) -> ServiceHostOptions {
        let anchoring: ServiceHostOptions.AuditAnchoring
        if let auditAnchors, let auditAnchorKeyFile {
            anchoring = .files(path: auditAnchors, keyPath: auditAnchorKeyFile, every: .seconds(auditAnchorInterval))
        } else {
            // An outside database without the two options: anchoring off, with a warning.
            anchoring = .inDataDirectory(every: .seconds(auditAnchorInterval))
        }
        var options = ServiceHostOptions(
            personalDataKey: .required(file: piiKeyFile),
            pools: .init(
                size: poolSize, heavySize: heavyPoolSize, statementTimeout: .seconds(statementTimeout),
                heavyStatementTimeout: .seconds(heavyStatementTimeout), lockTimeout: .seconds(lockTimeout),
                heavyQueriesPerUser: heavyQueriesPerUser),
            classifier: classifier, releasePeriod: StatisticsReleasePeriod(rawValue: releasePeriod) ?? .month,
            signInLockout: .seconds(lockoutMinutes * 60),
            signInLimits: SignInLimits(concurrentChecks: signInChecks, attemptsPerMinutePerNetwork: signInRate),
            bulkReads: bulkRowsPerMinute > 0 ? BulkReadLimit(rowsPerMinute: bulkRowsPerMinute) : nil,
            auditAnchoring: anchoring,
            // Demo accounts have published passwords: they do not survive into a real start.
            demoAccounts: demo ? .open : .retire,
            gapsRefresh: gapsRefresh > 0 ? .seconds(gapsRefresh * 60) : nil,
            resealLegacyIdentifiers: true, operatorName: OperatorIdentity.current(), stopsClusterAtShutdown: true)
        options.previousPersonalDataKeyFile = piiPreviousKeyFile
        options.retentionSweep = .seconds(24 * 60 * 60)
        // Checked by validate() (ReadPoolOptions), so nothing is lost here.
        options.readPool = try? readPool.readPool()
        return options
    }

    /// The HTTP API on the host's services, listening where the console does, with its TLS.
    func httpServer(host: ServiceHost, tls: ConsoleTLS?) -> HTTPServer {
        let api = PassageAPI(
            services: host.services,
            settings: HTTPSettings(sessionLifetime: .seconds(httpSessionHours * 3600), secure: tls != nil),
            version: PassageVersion.current, readiness: { await host.isReady() })
        return HTTPServer(api: api, host: listen, port: httpPort, tls: tls?.configuration)
    }

    /// The process's metrics go to one Prometheus registry; durations in buckets from 0.25 ms
    /// (a console command) to 30 s (a heavy STATS).
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    static func isLoopback(_ host: String) -> Bool {
        ListenAddress.isLoopback(host)
    }

    func run() async throws {
        // Before any logger or metric of the server is made: they take the handlers set here.
        try observability.bootstrapLogging()
        let metricsServer = try MetricsAddress.parse(observability.metricsListen).map { address in
            MetricsServer(registry: Self.bootstrapMetrics(), host: address.host, port: address.port)
        }
        let logger = Logger(label: "passage.serve")
        // Taken before PostgreSQL is started, so its processes do not inherit NOTIFY_SOCKET.
        let systemd = SystemdNotification()
        // Files given on the command line are read before anything is started, so a typo
        // leaves no cluster running behind it.
        let classifier = Classifier(jurisdictions: try JurisdictionsOption.load(jurisdictions))
        let tls = try tlsCert.map { try ConsoleTLS.server(certificateFile: $0, keyFile: tlsKey ?? "") }
        var options = hostOptions(classifier: classifier)
        options.placeCodes = try pcodes.map(PCodesOption.load)
        let host = try await database.openServices(options, logger: logger)
        let server: ConsoleServer
        do {
            if let demo = host.demo {
                announce(
                    "demo data: organisation \(demo.organisation) and five partner organisations: \(demo.population)")
                announce("demo users (loopback only; change or lock them before real use):")
                for account in demo.accounts {
                    announce("  AUTH \(account.name) \(account.password)    (\(account.role.rawValue))")
                }
            }
            do {
                server = try await ConsoleServer.bind(
                    configuration: ConsoleConfiguration(
                        host: listen, port: port, maxConnections: maxConnections,
                        idleTimeout: .seconds(idleTimeout), tls: tls, connectionLoops: poolSize,
                        signInTimeout: .seconds(signInTimeout), tlsHandshakeTimeout: .seconds(tlsHandshakeTimeout),
                        maxUnauthenticated: maxUnauthenticated,
                        maxUnauthenticatedPerNetwork: maxUnauthenticatedPerNetwork,
                        sessionChecker: SignInSessionChecker(host.services.signIn),
                        sessionCheckInterval: .seconds(sessionCheckInterval),
                        pingOnEventLoop: pingOnEventLoop),
                    commands: ConsoleCommands.table(host.services), logger: Logger(label: "passage.console"))
            } catch {
                throw ServeFailure(description: "cannot listen on \(listen):\(port): \(error)")
            }
        } catch {
            // Whatever stopped the start, the database started for it is stopped again.
            await host.shutdown()
            throw error
        }
        announce("passage \(PassageVersion.current) listening on \(listen):\(server.port)\(tls == nil ? "" : " (TLS)")")
        announce("database: \(host.database.location), schema version \(host.database.schemaVersion)")
        if let directory = host.database.dataDirectory {
            announce("data directory: \(URL(fileURLWithPath: directory).standardizedFileURL.path)")
        }
        // Cases another classifier version decided keep that result until an operator runs
        // `passage reclassify`, which the server does not do by itself: the run is reported.
        if let pending = await host.casesAwaitingReclassification(), pending > 0 {
            announce(
                "\(pending) case(s) were classified by an earlier classifier version: run `passage reclassify` (the server keeps answering meanwhile)"
            )
        }
        let signals = ShutdownSignals {
            systemd.stopping()
            server.shutdown()
        }
        defer { signals.cancel() }
        if let path = host.auditAnchorsPath {
            announce("audit anchors: \(path)")
        } else {
            logger.warning(
                "audit anchors off: give --audit-anchors and --audit-anchor-key-file, or a rewrite of the audit chain by the database's owner goes unnoticed"
            )
        }
        // The HTTP API runs beside the console on the same services; the console's end (a
        // signal) ends it too.
        let http = noHTTP ? nil : httpServer(host: host, tls: tls)
        let httpTask = http.map { http in
            Task {
                do {
                    try await http.run(logger: Logger(label: "passage.http")) { port in
                        announce(
                            "HTTP API and web pages on \(http.host):\(port)\(http.tls == nil ? "" : " (TLS, HTTP/2)")")
                        systemd.ready(status: "console on \(listen):\(server.port), HTTP on \(http.host):\(port)")
                    }
                } catch is CancellationError {
                } catch {
                    logger.error("HTTP API stopped with an error: \(error)")
                    server.shutdown()
                }
            }
        }
        if http == nil { systemd.ready(status: "console on \(listen):\(server.port)") }
        let metricsTask = metricsServer.map { metrics in
            Task {
                do {
                    try await metrics.run(logger: Logger(label: "passage.metrics")) { port in
                        announce("metrics on \(metrics.host):\(port)/metrics")
                    }
                } catch is CancellationError {
                } catch {
                    // Metrics are not worth stopping the service for: said loudly, served on.
                    logger.error("metrics listener stopped with an error: \(error)")
                }
            }
        }
        do {
            try await server.run()
        } catch {
            logger.error("console stopped with an error: \(error)")
        }
        httpTask?.cancel()
        _ = await httpTask?.result
        metricsTask?.cancel()
        _ = await metricsTask?.result
        await host.shutdown()
        announce("passage stopped")
    }
}

/// SIGINT and SIGTERM start a graceful shutdown instead of killing the process, so in-flight
/// commands finish, the pool closes and the embedded cluster stops cleanly.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ onSignal: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}

/// A start-up or shutdown line on standard output, written at once: `print` buffers when the
/// output is a file, and an operator tailing a log must see the address (and the demo users)
/// while the server runs, not when it exits.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A start-up failure that is not a usage mistake (so no usage text follows it).
struct ServeFailure: Error, CustomStringConvertible {
    let description: String
}
