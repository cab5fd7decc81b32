import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import Synchronization
import TestSupport

/// The real services over a fresh, migrated database, with accounts made straight in the store,
/// for the services' tests.
struct ServiceFixture {
    let conninfo: String
    let pool: PostgresPool
    let services: ApplicationServices

    static let personalDataKey = try! PIIKey(secret: "service-tests-key-of-at-least-forty-chars")

    static func with<T>(
        _ label: String = #function, bulkReads: BulkReadLimit? = nil, signInLimits: SignInLimits = SignInLimits(),
        accounts: [(name: String, role: Role, organisation: String)] = [],
        _ body: (ServiceFixture) async throws -> T
    ) async throws -> T {
        let conninfo = try await MigratedDatabase.conninfo(label)
        var logger = Logger(label: "test.services")
        logger.logLevel = .warning
        let pool = try PostgresPool(conninfo: conninfo, size: 2, logger: logger)
        try await pool.transaction { connection in try TestAccounts.add(accounts, on: connection) }
        var setup = StoreSetup(pool: pool, personalDataKey: personalDataKey, bulkReads: bulkReads)
        setup.signInLimits = signInLimits
        let fixture = ServiceFixture(conninfo: conninfo, pool: pool, services: .onStore(setup))
        do {
            let result = try await body(fixture)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// A signed-in actor as the console makes one, from a real sign-in (with its credentials).
    func actor(_ name: String, source: String = "192.0.2.7") async throws -> Actor {
        guard
            case .signedIn(let user, let role, let organisation, let organisationID, let credentials) =
                try await services.signIn.authenticate(
                    user: name, password: TestAccounts.password(name), source: source)
        else {
            throw FixtureError(description: "\(name) could not sign in")
        }
        return Actor(
            name: user, role: role, organisation: organisation, organisationID: organisationID,
            credentials: credentials, source: source)
    }

    struct AuditRow: Equatable, Sendable {
        var actor: String
        var action: String
        var subject: String
        var source: String
        var detail: String
    }

    /// Every audit entry with `action`, oldest first.
    func audit(_ action: AuditAction) async throws -> [AuditRow] {
        try await pool.withConnection { connection in
            try connection.query(
                "SELECT actor, action, subject, source, detail FROM audit_log WHERE action = \(action.rawValue) ORDER BY id"
            )
            .map { row in
                AuditRow(
                    actor: try row.decode(String.self, at: 0), action: try row.decode(String.self, at: 1),
                    subject: try row.decode(String.self, at: 2), source: try row.decode(String.self, at: 3),
                    detail: try row.decode(String.self, at: 4))
            }
        }
    }

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// A clock a test moves by hand (token buckets refill with it).
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(by duration: Duration) { instant.withLock { $0 = $0.advanced(by: duration) } }
}
