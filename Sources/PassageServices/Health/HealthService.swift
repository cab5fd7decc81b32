/// Whether the services can answer now (console `HEALTH`, HTTP `/readyz`): the database takes a
/// query in time and its applied migrations are exactly the ones this build carries. `PING` and
/// `/healthz` say only that the process is alive; this says it is ready.
public protocol HealthService: Sendable {
    func check() async -> HealthReport
}

/// One line per check, nothing else: readiness probes are asked often and by monitors, so the
/// report names no host, database, error text or version beyond the schema number.
public struct HealthReport: Sendable, Equatable {
    public struct Check: Sendable, Equatable {
        public let name: String
        public let ok: Bool
        /// A few words in parentheses after ok/fail: `schema 16`, `no answer within 2 s`.
        public let detail: String?

        public init(_ name: String, ok: Bool, detail: String? = nil) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }

        /// `database ok`, `migrations fail (database at schema 15, this build carries 16)`.
        public var line: String {
            "\(name) \(ok ? "ok" : "fail")" + (detail.map { " (\($0))" } ?? "")
        }
    }

    public let checks: [Check]

    public init(_ checks: [Check]) { self.checks = checks }

    public var isReady: Bool { !checks.isEmpty && checks.allSatisfy(\.ok) }
}

/// The health of services that have no database to check (the console's own tests): never ready.
public struct HealthNotChecked: HealthService {
    public init() {}
    public func check() async -> HealthReport {
        HealthReport([HealthReport.Check("database", ok: false, detail: "no database configured")])
    }
}
