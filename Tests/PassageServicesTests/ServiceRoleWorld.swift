import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport

/// The least-privilege setup with a referral world in it, served as the service role
/// (Deploy/external/setup.sql; Docs/operations.md "External PostgreSQL with least privilege"):
/// the owner role migrates, the world is written through the stores on the service role's own
/// connection outside any scope (as `passage import` does), and a ServiceHost opened as the
/// service role is handed to `body` with a way to sign its accounts in.
enum ServiceRoleWorld {
    static func with(
        _ clusterName: String, extraAccounts: [(String, Role, String)] = [],
        _ body: (ServiceHost, ReferralWorld, _ actor: (String) async throws -> Actor) async throws -> Void
    ) async throws {
        try await LeastPrivilegeTests.withCluster(clusterName) { cluster in
            try cluster.runAdministrativeSQL("\\i \(LeastPrivilegeTests.setupScript)", database: "postgres")
            let ownerURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_owner")
            let appURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_app")
            try PassageDatabase.open(
                LeastPrivilegeTests.choice(ownerURL), use: .migrate, logger: LeastPrivilegeTests.quiet
            ).close()
            let pool = try PostgresPool(conninfo: appURL, size: 2, logger: LeastPrivilegeTests.quiet)
            let world: ReferralWorld
            do {
                try await pool.transaction { connection in
                    try TestAccounts.add(ReferralWorld.accounts + extraAccounts, on: connection)
                }
                world = try await ReferralWorld.make(on: pool)
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
            let key = NSTemporaryDirectory() + "passage-\(clusterName)-key-\(UUID().uuidString)"
            try "service-tests-key-of-at-least-forty-chars\n".write(toFile: key, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
            defer { try? FileManager.default.removeItem(atPath: key) }
            let options = ServiceHostOptions(
                personalDataKey: .required(file: key), pools: .server, operatorName: "operator:test")
            let host = try await ServiceHost.open(
                LeastPrivilegeTests.choice(appURL), options, logger: LeastPrivilegeTests.quiet)
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
            do {
                try await body(host, world, actor)
            } catch {
                await host.shutdown()
                throw error
            }
            await host.shutdown()
        }
    }
}
