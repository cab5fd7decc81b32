import Foundation
import Logging
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Upgrading Passage (Docs/operations.md "Upgrading Passage"), as `passage serve` does it:
/// `ServiceHost.open` migrates. The previous release is this code with the schema of the last
/// released session (migrations 1…15) given as `--schema-dir`; the new release is this code
/// with every migration.
@Suite("Upgrading Passage: from the previous released schema, and a failed upgrade")
struct UpgradeTests {
    /// The schema the last released session ended with; never above the newest but one, so the
    /// upgrade always applies at least one migration.
    static let previousRelease: Int = {
        let latest = (try? MigrationSet.load(from: MigratedDatabase.schemaDirectory).latestVersion) ?? 0
        return min(15, latest - 1)
    }()

    static var quiet: Logger {
        var logger = Logger(label: "test.upgrade")
        logger.logLevel = .critical
        return logger
    }

    /// A schema directory holding Schema/'s migrations up to `version`, plus `extra` files.
    static func schemaDirectory(upTo version: Int, extra: [String: String] = [:]) throws -> String {
        let directory = NSTemporaryDirectory() + "passage-schema-\(version)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for migration in try MigrationSet.load(from: MigratedDatabase.schemaDirectory).migrations
        where migration.version <= version {
            try migration.sql.write(toFile: directory + "/" + migration.fileName, atomically: true, encoding: .utf8)
        }
        for (name, sql) in extra { try sql.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    static func keyFile() throws -> String {
        let path = NSTemporaryDirectory() + "passage-upgrade-key-\(UUID().uuidString)"
        try "service-tests-key-of-at-least-forty-chars\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    static func open(_ conninfo: String, schema: String, key: String) async throws -> ServiceHost {
        try await ServiceHost.open(
            DatabaseChoice(databaseURL: conninfo, schemaDirectory: schema),
            ServiceHostOptions(personalDataKey: .required(file: key), pools: .server, operatorName: "operator:test"),
            logger: quiet)
    }

    /// What the previous release left: a case with a person, a need, a provider and a referral.
    struct Written {
        let world: ReferralWorld
        let referral: Int64
    }

    static func writeWithPreviousRelease(_ conninfo: String, schema: String, key: String) async throws -> Written {
        let host = try await open(conninfo, schema: schema, key: key)
        do {
            #expect(host.database.schemaVersion == previousRelease)
            let pool = host.storeSetup.pool
            try await pool.transaction { try TestAccounts.add(ReferralWorld.accounts, on: $0) }
            // The store of this build may read columns a later migration added (cases.closed_at
            // since 0019): Ana's identifiers go in with the SQL schema 15 took, sealed as then.
            let world = try await ReferralWorld.make(on: pool, recordPerson: false)
            try await pool.transaction { db in
                let organisation = try OrganisationStore.id(named: "ngo-a", create: false, on: db)
                let sealed = try ServiceFixture.personalDataKey.cipher.seal(
                    PersonalIdentifiers(names: ["Ana"], phone: "+57 300"), organisation: organisation)
                try db.execute(
                    """
                    WITH person AS (
                        INSERT INTO persons (organisation_id, identifiers) VALUES (\(organisation), \(sealed))
                        RETURNING id)
                    UPDATE cases SET person_id = (SELECT id FROM person) WHERE id = \(world.adultCase)
                    """)
            }
            let fixture = ServiceFixture(conninfo: conninfo, pool: pool, services: host.services)
            let made = try await host.services.referrals.refer(
                world.referral(key: "before-upgrade"), by: fixture.actor("amina"))
            await host.shutdown()
            return Written(world: world, referral: made.id)
        } catch {
            await host.shutdown()
            throw error
        }
    }

    /// Reads back through the services what the previous release wrote.
    static func readBack(_ written: Written, on host: ServiceHost, conninfo: String) async throws {
        let fixture = ServiceFixture(conninfo: conninfo, pool: host.storeSetup.pool, services: host.services)
        let amina = try await fixture.actor("amina")
        let person = try await host.services.people.details(ofCase: written.world.adultCase, by: amina)
        #expect(person.names == ["Ana"])
        #expect(person.phone == "+57 300")
        let referral = try await host.services.referrals.show(written.referral, by: amina)
        #expect(referral.referral.caseID == written.world.adultCase)
        #expect(referral.referral.needCode == "LP-ND")
        #expect(
            try await host.services.cases.file(of: written.world.adultCase, by: amina).record.id
                == written.world.adultCase)
    }

    static func appliedVersions(_ conninfo: String) async throws -> [Int] {
        try await offThePool {
            let connection = try PostgresConnection.connect(conninfo)
            defer { connection.close() }
            return try AppliedMigrations.versions(on: connection)
        }
    }

    @Test(
        "data written at the previous released schema is read back after the new release migrates, and the previous release then refuses the newer schema"
    )
    func upgradeFromPreviousRelease() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let key = try Self.keyFile()
        let previous = try Self.schemaDirectory(upTo: Self.previousRelease)
        defer {
            try? FileManager.default.removeItem(atPath: key)
            try? FileManager.default.removeItem(atPath: previous)
        }
        let written = try await Self.writeWithPreviousRelease(conninfo, schema: previous, key: key)

        let all = try MigrationSet.load(from: MigratedDatabase.schemaDirectory)
        let upgraded = try await Self.open(conninfo, schema: MigratedDatabase.schemaDirectory, key: key)
        #expect(
            upgraded.database.appliedMigrations == all.migrations.map(\.version).filter { $0 > Self.previousRelease })
        #expect(upgraded.database.schemaVersion == all.latestVersion)
        #expect(await upgraded.isReady())
        try await Self.readBack(written, on: upgraded, conninfo: conninfo)
        await upgraded.shutdown()

        // Going back is not silent: the previous release refuses a schema it was not written for.
        await #expect {
            _ = try await Self.open(conninfo, schema: previous, key: key)
        } throws: { error in
            guard case MigrationError.unknownAppliedVersion(let version, _) = error else { return false }
            return version == Self.previousRelease + 1 && "\(error)".contains("a newer Passage has migrated it")
        }
    }

    @Test(
        "an upgrade whose last migration fails applies none of its migrations and leaves the data as the previous release wrote it"
    )
    func failedUpgradeLeavesThePreviousReleaseRunnable() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let key = try Self.keyFile()
        let previous = try Self.schemaDirectory(upTo: Self.previousRelease)
        let all = try MigrationSet.load(from: MigratedDatabase.schemaDirectory)
        let broken = all.latestVersion + 1
        // The new release: every migration, the last of which fails halfway through.
        let newRelease = try Self.schemaDirectory(
            upTo: all.latestVersion,
            extra: [
                String(format: "%04d_broken.sql", broken):
                    "CREATE TABLE upgrade_half_done (x int);\nSELECT no_such_function();\n"
            ])
        defer {
            for path in [key, previous, newRelease] { try? FileManager.default.removeItem(atPath: path) }
        }
        let written = try await Self.writeWithPreviousRelease(conninfo, schema: previous, key: key)
        let before = try await Self.appliedVersions(conninfo)

        await #expect {
            _ = try await Self.open(conninfo, schema: newRelease, key: key)
        } throws: { error in
            guard case MigrationError.runRolledBack(let version, _, _, let pending, let schema) = error else {
                return false
            }
            return version == broken && pending.first == Self.previousRelease + 1 && pending.last == broken
                && schema == Self.previousRelease
        }
        // Nothing of the run is left: not the migrations before the failing one, not its own table.
        #expect(try await Self.appliedVersions(conninfo) == before)
        let halfDone = try await offThePool {
            let connection = try PostgresConnection.connect(conninfo)
            defer { connection.close() }
            return try connection.query("SELECT to_regclass('upgrade_half_done') IS NOT NULL")[0].decode(Bool.self)
        }
        #expect(!halfDone)

        // What the previous release wrote is there as it wrote it. (This build's services cannot
        // stand in for the previous release here: they read tables the newer migrations add.
        // The database being exactly at its schema, checked above, is what the previous binary needs.)
        let (organisation, sealed, referrals) = try await offThePool {
            let connection = try PostgresConnection.connect(conninfo)
            defer { connection.close() }
            let person = try connection.query(
                """
                SELECT p.organisation_id, p.identifiers FROM persons p JOIN cases c ON c.person_id = p.id
                 WHERE c.id = \(written.world.adultCase)
                """)[0].decode((Int64, [UInt8]).self)
            let referrals = try connection.query(
                "SELECT count(*) FROM referrals WHERE id = \(written.referral) AND case_id = \(written.world.adultCase)"
            )[0].decode(Int64.self)
            return (person.0, person.1, referrals)
        }
        let identifiers = try ServiceFixture.personalDataKey.cipher.open(sealed, organisation: organisation)
        #expect(identifiers.names == ["Ana"])
        #expect(identifiers.phone == "+57 300")
        #expect(referrals == 1)
    }
}
