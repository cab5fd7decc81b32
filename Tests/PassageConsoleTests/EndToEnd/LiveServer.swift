import Foundation
import Logging
import PassageConsole
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport

/// A real console server over a real, freshly migrated database, with one user per entry of
/// `accounts` (password `password-of-<name>`). No fakes: this is what `passage serve` runs, the
/// application services over the store (`ApplicationServices.onStore`) behind the command table.
struct LiveServer {
    let port: Int
    let conninfo: String

    /// The personal-data key of every live test server.
    static let personalDataKey = try! PIIKey(secret: "live-server-test-key-of-forty-characters")

    static func password(_ name: String) -> String { "password-of-\(name)" }

    static let standardAccounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("sup", .supervisor, "ngo-a"), ("an", .analyst, "ngo-a"),
        ("pol", .policy, "ngo-a"), ("adm", .admin, "ngo-a"), ("cw-b", .caseworker, "ngo-b"),
    ]

    static func with<T>(
        _ label: String = #function,
        accounts: [(name: String, role: Role, organisation: String)] = standardAccounts,
        throttle: SignInThrottle = .init(),
        signInLimits: SignInLimits = .init(),
        sessionSweep: Duration? = nil,
        configuration: ConsoleConfiguration = ConsoleConfiguration(port: 0),
        auditAnchors: AuditAnchors? = nil,
        heavyQueries: HeavyQueryLimit = HeavyQueryLimit(),
        bulkReads: BulkReadLimit? = BulkReadLimit(),
        placeCodes: PCodeMapping? = nil,
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        let conninfo = try await MigratedDatabase.conninfo(label)
        var logger = Logger(label: "test.live-server")
        logger.logLevel = .warning
        let pool = try PostgresPool(conninfo: conninfo, size: 4, logger: logger)
        let users = UserStore(throttle: throttle)
        try await pool.transaction { connection in
            for account in accounts {
                let organisation = try OrganisationStore.id(named: account.organisation, create: true, on: connection)
                _ = try users.add(
                    name: account.name, role: account.role, organisation: organisation,
                    password: password(account.name), on: connection)
            }
        }
        // Persons under keys of their own, kept in a keyring database apart (Docs/case-life.md).
        let keyring = try PersonKeyring(conninfo: try await TestCluster.freshDatabase(label + "_keyring"))
        defer { keyring.close() }
        var setup = StoreSetup(
            pool: pool, personalDataKey: LiveServer.personalDataKey.using(keyring: keyring), users: users,
            auditAnchors: auditAnchors,
            bulkReads: bulkReads)
        setup.heavyQueries = heavyQueries
        setup.signInLimits = signInLimits
        var services = ApplicationServices.onStore(setup)
        services.placeCodes = placeCodes
        var configuration = configuration
        if let sessionSweep {
            configuration.sessionChecker = SignInSessionChecker(services.signIn)
            configuration.sessionCheckInterval = sessionSweep
        }
        let server = try await ConsoleServer.bind(
            configuration: configuration, commands: ConsoleCommands.table(services), logger: logger)
        let running = Task { try await server.run() }
        defer {
            server.shutdown()
        }
        let result: T
        do {
            result = try await body(LiveServer(port: server.port, conninfo: conninfo))
        } catch {
            server.shutdown()
            _ = await running.result
            await pool.shutdown()
            throw error
        }
        server.shutdown()
        _ = await running.result
        await pool.shutdown()
        return result
    }

    /// A signed-in client for `user`.
    func session<T>(as user: String, _ body: (ConsoleClient) async throws -> T) async throws -> T {
        try await ConsoleClient.withConnection(port: port) { client in
            let reply = try await client.request("AUTH \(user) \(Self.password(user))")
            guard reply.code == 250 else { throw SignInFailed(user: user, reply: reply.text) }
            return try await body(client)
        }
    }

    struct SignInFailed: Error {
        let user: String
        let reply: String
    }
}
