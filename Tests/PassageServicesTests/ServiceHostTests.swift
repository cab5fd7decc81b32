import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// The composition root: `ServiceHost` opens a database (migrated), builds the services on it
/// and closes again, as `passage serve` and the one-off subcommands do.
@Suite struct ServiceHostTests {
    static var quiet: Logger {
        var logger = Logger(label: "test.host")
        logger.logLevel = .warning
        return logger
    }

    /// A key file as an operator keeps it: 32+ characters, mode 0600.
    static func keyFile() throws -> String {
        let path = NSTemporaryDirectory() + "passage-host-key-\(UUID().uuidString)"
        try "host-test-key-of-more-than-thirty-two-characters\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    static func choice(_ conninfo: String) -> DatabaseChoice {
        DatabaseChoice(databaseURL: conninfo, schemaDirectory: MigratedDatabase.schemaDirectory)
    }

    @Test("opens an empty database migrated, serves a use case with its audit entry, and closes its pools")
    func opensServesAndCloses() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let key = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: key) }
        var options = ServiceHostOptions(
            personalDataKey: .required(file: key), pools: .server, operatorName: "operator:test")
        options.demoAccounts = .retire
        let host = try await ServiceHost.open(Self.choice(conninfo), options, logger: Self.quiet)
        #expect(!host.database.appliedMigrations.isEmpty)
        #expect(host.database.schemaVersion == host.database.appliedMigrations.max())
        #expect(host.database.dataDirectory == nil)
        #expect(host.hasPersonalDataKey)
        #expect(host.auditAnchorsPath == nil, "an existing server without anchor files anchors nothing")
        #expect(host.demo == nil)
        // A use case through the services: one transaction, audited under the actor.
        let admin = Actor(name: "operator:test", role: .admin, organisation: "", source: "cli")
        let standing = try await host.services.statistics.setPrivacyPolicy(of: nil, epsilon: 0.5, budget: 2, by: admin)
        #expect(standing == PrivacyPolicyStanding(scope: "all", epsilon: 0.5, budget: 2))
        #expect(try await host.services.statistics.privacyPolicy(of: nil, by: admin) == standing)
        await host.shutdown()
        // Closed: the pools take no more work.
        await #expect(throws: (any Error).self) {
            try await host.storeSetup.pool.withConnection { try $0.query("SELECT 1").count }
        }
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let audited = try connection.query("SELECT actor, action, subject FROM audit_log ORDER BY id").map {
            try $0.decode((String, String, String).self)
        }
        #expect(
            audited.map(\.0) == ["operator:test"] && audited.map(\.1) == ["privacy.policy"]
                && audited.map(\.2) == ["all"])
        // A second open finds the schema current.
        let again = try PassageDatabase.open(Self.choice(conninfo), logger: Self.quiet)
        defer { again.close() }
        #expect(again.appliedMigrations.isEmpty && again.schemaVersion == host.database.schemaVersion)
    }

    @Test(
        "serve's demo start: one account per role with its published password and a population; a later start retires them, audited"
    )
    func demoAccountsOpenThenRetire() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let key = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: key) }
        var options = ServiceHostOptions(
            personalDataKey: .required(file: key), pools: .server, operatorName: "operator:demo-test")
        options.demoAccounts = .open
        let demo = try await ServiceHost.open(Self.choice(conninfo), options, logger: Self.quiet)
        let started = try #require(demo.demo)
        #expect(started.accounts.map(\.role) == Role.allCases)
        #expect(started.population.contains("synthetic cases"), "\(started.population)")
        await demo.shutdown()
        options.demoAccounts = .retire
        let real = try await ServiceHost.open(Self.choice(conninfo), options, logger: Self.quiet)
        #expect(real.demo == nil)
        await real.shutdown()
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let disabled = try connection.query("SELECT count(*) FROM users WHERE name LIKE 'demo-%' AND disabled").first?
            .decode(Int64.self, at: 0)
        #expect(disabled == Int64(Role.allCases.count))
        let audited = try connection.query("SELECT DISTINCT actor FROM audit_log WHERE action = 'user.demo_disabled'")
            .map { try $0.decode(String.self, at: 0) }
        #expect(audited == ["operator:demo-test"])
    }

    @Test("a one-off command opens without a personal-data key; a server does not, and names the flags")
    func personalDataKeyRequiredOnlyByTheServer() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        try #require(
            ProcessInfo.processInfo.environment["PASSAGE_PII_KEY"] == nil, "the test needs PASSAGE_PII_KEY unset")
        let oneOff = try await ServiceHost.open(
            Self.choice(conninfo), .commandLine(operatorName: "operator:test"), logger: Self.quiet)
        #expect(!oneOff.hasPersonalDataKey)
        await oneOff.shutdown()
        let server = ServiceHostOptions(
            personalDataKey: .required(file: nil), pools: .server, operatorName: "operator:test")
        do {
            let host = try await ServiceHost.open(Self.choice(conninfo), server, logger: Self.quiet)
            await host.shutdown()
            Issue.record("a server started without a personal-data key")
        } catch {
            #expect("\(error)".contains("--pii-key-file") && "\(error)".contains("PASSAGE_PII_KEY"), "\(error)")
        }
    }
}
