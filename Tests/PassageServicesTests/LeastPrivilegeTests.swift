import EmbeddedPostgres
import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// An external PostgreSQL set up as Deploy/external/setup.sql makes it: a migration role owns
/// the schema, a service role owns nothing and holds only passage_service's grants. Each test
/// starts a cluster of its own, because roles are cluster-wide and the shared test cluster's
/// superuser has long created every role these tests need to find missing.
@Suite(.serialized) struct LeastPrivilegeTests {
    static var quiet: Logger {
        var logger = Logger(label: "test.least-privilege")
        logger.logLevel = .critical
        return logger
    }

    static let setupScript = URL(fileURLWithPath: MigratedDatabase.schemaDirectory).deletingLastPathComponent()
        .appendingPathComponent("Deploy/external/setup.sql").path

    /// A throwaway cluster under TestCluster's prefix (a crashed run's is swept by the next run).
    static func withCluster(_ name: String, _ body: (EmbeddedCluster) async throws -> Void) async throws {
        let directory = "/tmp/passage-test-\(name)-\(getpid())"
        let cluster = EmbeddedCluster(
            directory: directory, installation: try PostgresInstallation.locate(), logger: quiet)
        try? FileManager.default.removeItem(atPath: directory)
        try cluster.start()
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        defer {
            try? cluster.stop(immediate: true)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await body(cluster)
    }

    static func url(_ cluster: EmbeddedCluster, database: String, user: String) -> String {
        cluster.connectionString(database: database) + " user=\(user)"
    }

    static func choice(_ url: String) -> DatabaseChoice {
        DatabaseChoice(databaseURL: url, schemaDirectory: MigratedDatabase.schemaDirectory)
    }

    static func keyFile() throws -> String {
        let path = NSTemporaryDirectory() + "passage-lp-key-\(UUID().uuidString)"
        try "least-privilege-test-key-of-more-than-thirty-two-characters\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// The service role's start check, as `passage serve` runs it; its refusal's list.
    static func startRefusal(_ url: String) -> [MissingPrivilege]? {
        do {
            let database = try PassageDatabase.open(choice(url), logger: quiet)
            database.close()
            return nil
        } catch PrivilegeError.serviceRole(_, let missing) {
            return missing
        } catch {
            Issue.record("unexpected error: \(error)")
            return nil
        }
    }

    @Test(
        "a migration role without CREATEROLE is refused before any migration runs, with the statements a superuser must run"
    )
    func migrationRoleWithoutRolesIsRefused() async throws {
        try await Self.withCluster("lp-bare") { cluster in
            try cluster.runAdministrativeSQL("CREATE ROLE bare_owner LOGIN", database: "postgres")
            try cluster.runAdministrativeSQL("CREATE DATABASE bare OWNER bare_owner", database: "postgres")
            try cluster.runAdministrativeSQL("CREATE EXTENSION pgcrypto", database: "bare")
            let url = Self.url(cluster, database: "bare", user: "bare_owner")
            do {
                _ = try PassageDatabase.open(Self.choice(url), use: .migrate, logger: Self.quiet)
                Issue.record("migrated without the roles 0004 and 0005 need")
            } catch PrivilegeError.migrationRole(let role, let missing) {
                #expect(role == "bare_owner")
                #expect(
                    missing.map(\.grant) == [
                        "CREATE ROLE passage_casework NOLOGIN", "GRANT passage_casework TO bare_owner",
                        "GRANT passage_casework TO passage_service",
                        "CREATE ROLE passage_statistics NOLOGIN NOINHERIT", "GRANT passage_statistics TO bare_owner",
                        "GRANT passage_statistics TO passage_service",
                        "CREATE ROLE passage_statistics_scoped NOLOGIN NOINHERIT",
                        "GRANT passage_statistics_scoped TO bare_owner",
                        "GRANT passage_statistics_scoped TO passage_service",
                        "CREATE ROLE passage_service NOLOGIN NOINHERIT",
                    ])
                let text = "\(PrivilegeError.migrationRole(role: role, missing: missing))"
                #expect(text.contains("Deploy/external/setup.sql") && !text.contains("42501"))
            }
            // Nothing was applied: no half-made schema without row-level security.
            let connection = try PostgresConnection.connect(url)
            defer { connection.close() }
            #expect(try connection.query("SELECT to_regclass('schema_migrations') IS NULL")[0].decode(Bool.self))
        }
    }

    @Test(
        "a database whose migration 0004 skipped row-level security (the old silent skip) gets it from migration 16 once a superuser made the roles, and then passes the service role's start check"
    )
    func skippedRowLevelSecurityIsRepaired() async throws {
        try await Self.withCluster("lp-skip") { cluster in
            try cluster.runAdministrativeSQL("CREATE ROLE bare_owner LOGIN", database: "postgres")
            try cluster.runAdministrativeSQL("CREATE DATABASE bare OWNER bare_owner", database: "postgres")
            try cluster.runAdministrativeSQL("CREATE EXTENSION pgcrypto", database: "bare")
            let url = Self.url(cluster, database: "bare", user: "bare_owner")
            // What earlier releases did: migrations 1 to 4 by a role that cannot create roles.
            let all = try MigrationSet.load(from: MigratedDatabase.schemaDirectory)
            try MigrationRunner(
                migrations: MigrationSet(migrations: all.migrations.filter { $0.version <= 4 }), logger: Self.quiet
            ).run(conninfo: url)
            let superuser = try PostgresConnection.connect(cluster.connectionString(database: "bare"))
            defer { superuser.close() }
            #expect(
                try superuser.query("SELECT count(*) FROM pg_policy WHERE polrelid = 'cases'::regclass")[0].decode(
                    Int.self) == 0, "the old skip: no policy on cases")
            // The statements `passage migrate` names (Deploy/external/setup.sql's), then migrate.
            try superuser.executeScript(
                """
                CREATE ROLE passage_casework NOLOGIN;
                CREATE ROLE passage_statistics NOLOGIN NOINHERIT;
                CREATE ROLE passage_statistics_scoped NOLOGIN NOINHERIT;
                CREATE ROLE passage_service NOLOGIN NOINHERIT;
                GRANT passage_casework, passage_statistics, passage_statistics_scoped TO bare_owner, passage_service;
                CREATE ROLE bare_app LOGIN;
                GRANT passage_service TO bare_app;
                """)
            let migrated = try PassageDatabase.open(Self.choice(url), use: .migrate, logger: Self.quiet)
            #expect(migrated.schemaVersion == all.latestVersion)
            migrated.close()
            let made = try superuser.query(
                "SELECT array_agg(polname::text ORDER BY polname) FROM pg_policy WHERE polrelid = 'cases'::regclass"
            )[0].decode([String].self)
            #expect(made.contains("own_cases") && made.contains("service_outside_scope"), "\(made)")
            #expect(Self.startRefusal(Self.url(cluster, database: "bare", user: "bare_app")) == nil)
        }
    }

    @Test(
        "Deploy/external/setup.sql, migrate as the owner, serve as the service role: casework works under row-level security; a missing grant is named at start and logged at run time"
    )
    func serviceRoleServesUnderRowLevelSecurity() async throws {
        try await Self.withCluster("lp-setup") { cluster in
            try cluster.runAdministrativeSQL("\\i \(Self.setupScript)", database: "postgres")
            // Idempotent: a second run changes nothing and fails on nothing.
            try cluster.runAdministrativeSQL("\\i \(Self.setupScript)", database: "postgres")
            let ownerURL = Self.url(cluster, database: "passage", user: "passage_owner")
            let appURL = Self.url(cluster, database: "passage", user: "passage_app")
            let superuser = try PostgresConnection.connect(cluster.connectionString(database: "passage"))
            defer { superuser.close() }

            // The service role cannot migrate: it does not own an empty schema either.
            #expect(throws: PrivilegeError.self) {
                _ = try PassageDatabase.open(Self.choice(appURL), use: .migrate, logger: Self.quiet)
            }
            let migrated = try PassageDatabase.open(Self.choice(ownerURL), use: .migrate, logger: Self.quiet)
            #expect(!migrated.isServiceRole)
            let latest = try MigrationSet.load(from: MigratedDatabase.schemaDirectory).latestVersion
            #expect(migrated.schemaVersion == latest)
            #expect(migrated.appliedMigrations.count == migrated.schemaVersion)
            migrated.close()
            #expect(throws: PrivilegeError.migrateAsServiceRole(role: "passage_app", owner: "passage_owner")) {
                _ = try PassageDatabase.open(Self.choice(appURL), use: .migrate, logger: Self.quiet)
            }
            // The owner owns everything; the service role nothing, and is no superuser nor BYPASSRLS.
            let strangers = try superuser.query(
                """
                SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
                   AND relkind IN ('r', 'v', 'S') AND pg_get_userbyid(relowner) <> 'passage_owner'
                """)[0].decode(Int.self)
            #expect(strangers == 0)
            #expect(
                try superuser.query(
                    "SELECT rolsuper OR rolbypassrls OR rolcreaterole FROM pg_roles WHERE rolname = 'passage_app'")[0]
                    .decode(Bool.self) == false)

            try TestAccounts.add(
                [("cw", .caseworker, "ngo-a"), ("cw-b", .caseworker, "ngo-b")], on: superuser)
            let key = try Self.keyFile()
            defer { try? FileManager.default.removeItem(atPath: key) }
            var options = ServiceHostOptions(
                personalDataKey: .required(file: key), pools: .server, operatorName: "operator:test")
            options.demoAccounts = .untouched
            let host = try await ServiceHost.open(Self.choice(appURL), options, logger: Self.quiet)
            #expect(host.database.isServiceRole && host.database.appliedMigrations.isEmpty)

            // Casework through the services, as the service role.
            func actor(_ name: String) async throws -> Actor {
                guard
                    case .signedIn(let user, let role, let organisation, let organisationID, let credentials) =
                        try await host.services.signIn.authenticate(
                            user: name, password: TestAccounts.password(name), source: "192.0.2.9")
                else { throw FixtureError(description: "\(name) could not sign in") }
                return Actor(
                    name: user, role: role, organisation: organisation, organisationID: organisationID,
                    credentials: credentials, source: "192.0.2.9")
            }
            let caseworker = try await actor("cw")
            let record = try await host.services.cases.open(
                .json(#"{"ref":"lp-1","current_country":"DE","age":34}"#), by: caseworker)
            let need = try await host.services.needs.add(NewNeed(caseID: record.id, code: "LP"), by: caseworker)
            #expect(need.caseID == record.id)
            #expect(try await host.services.cases.file(of: record.id, by: caseworker).record.id == record.id)
            let other = try await actor("cw-b")
            await #expect(throws: ServiceError.self) {
                _ = try await host.services.cases.file(of: record.id, by: other)
            }

            // Row-level security applies to the service role: with it off, reading fails instead of
            // bypassing (an owner would read); inside another organisation's scope no row shows.
            let app = try PostgresConnection.connect(appURL)
            defer { app.close() }
            #expect(throws: PostgresError.self) {
                try app.transaction { connection in
                    _ = try connection.query("SELECT set_config('row_security', 'off', true)")
                    _ = try connection.query("SELECT count(*) FROM cases")
                }
            }
            let seen = try app.transaction { connection -> (Int, Int) in
                let outside = try connection.query("SELECT count(*) FROM cases")[0].decode(Int.self)
                _ = try connection.query(
                    "SELECT passage_enter_scope((SELECT id FROM organisations WHERE name = 'ngo-b'))")
                return (outside, try connection.query("SELECT count(*) FROM cases")[0].decode(Int.self))
            }
            #expect(seen.0 == 1 && seen.1 == 0, "\(seen)")
            // It can change neither the schema's walls nor the audit chain.
            #expect(throws: PostgresError.self) { try app.execute("ALTER TABLE cases DISABLE ROW LEVEL SECURITY") }
            #expect(throws: PostgresError.self) { try app.execute("DELETE FROM audit_log") }

            // A grant taken away while serving: the command's reply says the server lacks a
            // privilege (no SQLSTATE for the client), and the log names the object.
            try superuser.execute("REVOKE INSERT ON needs FROM passage_casework")
            await #expect(
                throws: ServiceError.unavailable(
                    "the database refused this server a privilege (logged for the administrator)")
            ) {
                _ = try await host.services.needs.add(NewNeed(caseID: record.id, code: "SV"), by: caseworker)
            }
            await host.shutdown()
            do {
                try app.transaction { connection in
                    _ = try connection.query("SELECT passage_enter_scope(1)")
                    try connection.execute(
                        "INSERT INTO needs (case_id, organisation_id, code, priority, identified_by) VALUES (\(record.id), 1, 'SV', 'normal', 'x')"
                    )
                }
                Issue.record("the insert was allowed")
            } catch {
                let logged = PrivilegeDenial.log(error, logger: Self.quiet)
                #expect(logged?.contains("permission denied for table needs") == true, "\(String(describing: logged))")
            }

            // At start: the missing grant is named with the statement that restores it.
            #expect(
                Self.startRefusal(appURL) == [
                    MissingPrivilege(
                        "INSERT on needs for passage_casework", grant: "GRANT INSERT ON needs TO passage_casework")
                ])
            try superuser.execute("GRANT INSERT ON needs TO passage_casework")
            try superuser.execute("REVOKE UPDATE ON users FROM passage_service")
            #expect(
                Self.startRefusal(appURL) == [
                    MissingPrivilege("UPDATE on users", grant: "GRANT UPDATE ON users TO passage_service")
                ])
            try superuser.execute("GRANT UPDATE ON users TO passage_service")
            try superuser.execute("REVOKE passage_service FROM passage_app")
            #expect(
                Self.startRefusal(appURL)?.map(\.grant) == [
                    "GRANT passage_service TO passage_app; ALTER ROLE passage_app INHERIT"
                ])
            try superuser.execute("GRANT passage_service TO passage_app")
            try superuser.execute("ALTER ROLE passage_app BYPASSRLS")
            #expect(Self.startRefusal(appURL)?.map(\.grant) == ["ALTER ROLE passage_app NOBYPASSRLS"])
            try superuser.execute("ALTER ROLE passage_app NOBYPASSRLS")
            #expect(Self.startRefusal(appURL) == nil)
        }
    }

    @Test(
        "as the service role: a world written outside any scope, a referral across organisations made and accepted, an analyst's and a policy export, the audit chain verified"
    )
    func wholeServiceAsServiceRole() async throws {
        try await ServiceRoleWorld.with(
            "lp-world", extraAccounts: [("an", .analyst, "ngo-a"), ("pol", .policy, "ngo-a")]
        ) { host, world, actor in
            let made = try await host.services.referrals.refer(world.referral(key: "lp"), by: try await actor("amina"))
            #expect(made.created && made.status == .pending)
            let moved = try await host.services.referrals.move(
                ReferralChange(referral: made.id, status: .accepted), by: try await actor("cleo"))
            #expect(moved.from == .pending && moved.version == made.version + 1)
            // ngo-b's caseworker sees neither the case nor the referral.
            await #expect(throws: ServiceError.self) {
                _ = try await host.services.cases.file(of: world.adultCase, by: try await actor("bo"))
            }
            let own = try await host.services.statistics.aggregates(
                AggregateRequest(by: ["sex"]), by: try await actor("an"))
            let every = try await host.services.statistics.aggregates(
                AggregateRequest(by: ["sex"]), by: try await actor("pol"))
            #expect(own.release == every.release, "both read the same frozen release")
            let verified = try await host.services.audit.verify(by: try await actor("adm"))
            #expect(verified.entries >= 2)
        }
    }
}
