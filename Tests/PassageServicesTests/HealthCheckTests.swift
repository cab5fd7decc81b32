import Foundation
import Logging
import PassageStore
import Postgres
import TestSupport
import Testing

@testable import PassageServices

/// The readiness check behind console HEALTH and /readyz (HealthServiceOnStore): a round trip
/// within its time limit, and the applied migrations exactly the build's.
@Suite("Health: database and migrations")
struct HealthCheckTests {
    static var quiet: Logger {
        var logger = Logger(label: "test.health")
        logger.logLevel = .critical
        return logger
    }

    static let compiled = MigrationSet.compiled.migrations.map(\.version)

    @Test("a migrated database answering in time is ready, with the schema it is at")
    func readyOnMigratedDatabase() async throws {
        let pool = try PostgresPool(conninfo: try await MigratedDatabase.conninfo(), size: 1, logger: Self.quiet)
        let report = await HealthServiceOnStore(pool: pool, expectedSchema: Self.compiled).check()
        await pool.shutdown()
        #expect(report.checks.map(\.line) == ["database ok", "migrations ok (schema \(Self.compiled.max() ?? 0))"])
        #expect(report.isReady)
    }

    @Test("a database at the previous schema is not ready for this build, and says which versions")
    func previousSchemaIsNotReady() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let all = try MigrationSet.load(from: MigratedDatabase.schemaDirectory)
        let previous = MigrationSet(migrations: Array(all.migrations.dropLast()))
        try MigrationRunner(migrations: previous, logger: Self.quiet).run(conninfo: conninfo)
        let pool = try PostgresPool(conninfo: conninfo, size: 1, logger: Self.quiet)
        let expected = all.migrations.map(\.version)
        let report = await HealthServiceOnStore(pool: pool, expectedSchema: expected).check()
        await pool.shutdown()
        #expect(
            report.checks.map(\.line) == [
                "database ok",
                "migrations fail (database at schema \(previous.latestVersion), this build carries \(all.latestVersion))",
            ])
        #expect(!report.isReady)
    }

    @Test("a database that cannot be reached is not ready, and the report names no host or error text")
    func unreachableIsNotReady() async throws {
        let missing = "/tmp/passage-no-such-socket-\(getpid())"
        let pool = try PostgresPool(conninfo: "host=\(missing) dbname=passage", size: 1, logger: Self.quiet)
        let report = await HealthServiceOnStore(pool: pool, expectedSchema: Self.compiled).check()
        await pool.shutdown()
        #expect(report.checks.map(\.line) == ["database fail (unreachable)", "migrations fail (not checked)"])
        #expect(!report.isReady)
    }

    @Test("a check that gets no connection in time answers at its limit, not after the pool's acquire timeout")
    func stuckCheckAnswersAtItsLimit() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        // One connection, held by a long statement; the pool would let a waiter wait 60 s.
        let pool = try PostgresPool(conninfo: conninfo, size: 1, acquireTimeout: .seconds(60), logger: Self.quiet)
        let holder = Task { try await pool.withConnection { _ = try $0.query("SELECT pg_sleep(3)") } }
        var started = false
        for _ in 0..<100 where !started {
            started = try await Self.sleeping(conninfo)
            if !started { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(started)
        let report = await HealthServiceOnStore(
            pool: pool, expectedSchema: Self.compiled, timeout: .milliseconds(200)
        ).check()
        #expect(report.checks.map(\.line) == ["database fail (no answer within 0.2 s)", "migrations fail (not checked)"])
        // The holder was never disturbed by the abandoned check.
        _ = try await holder.value
        await pool.shutdown()
    }

    static func sleeping(_ conninfo: String) async throws -> Bool {
        try await offThePool {
            let connection = try PostgresConnection.connect(conninfo)
            defer { connection.close() }
            return try connection.query(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(3)' AND state = 'active'"
            )[0].decode(Bool.self)
        }
    }

    @Test("the host's readiness (/readyz) is the same check: a newer migration in the database makes it not ready")
    func hostReadinessFollowsTheSchema() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        var options = ServiceHostOptions(personalDataKey: .ifAvailable(file: nil), pools: .server, operatorName: "t")
        options.demoAccounts = .untouched
        let host = try await ServiceHost.open(
            DatabaseChoice(databaseURL: conninfo, schemaDirectory: MigratedDatabase.schemaDirectory), options,
            logger: Self.quiet)
        #expect(await host.isReady())
        #expect(await host.services.health.check().isReady)
        try await host.storeSetup.pool.withConnection { connection in
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_a_newer_build', 'x')")
        }
        #expect(!(await host.isReady()))
        let lines = await host.services.health.check().checks.map(\.line)
        #expect(lines.last?.hasPrefix("migrations fail (database at schema 9999") == true)
        await host.shutdown()
    }
}
