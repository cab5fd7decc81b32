import EmbeddedPostgres
import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// A transfer on the least-privilege setup (Deploy/external/setup.sql, the server as the service
/// role): proposing runs in the owner's scope as passage_casework, accepting outside any scope as
/// passage_service (Schema/0018's grants and policies); the person, re-sealed for the new owner,
/// opens there, and the old owner no longer reads the case.
@Suite(.serialized) struct TransferServiceRoleTests {
    @Test("as the service role: a case proposed by ngo-a and accepted by ngo-b's supervisor moves with its person")
    func transferAsServiceRole() async throws {
        try await LeastPrivilegeTests.withCluster("lp-transfer") { cluster in
            try cluster.runAdministrativeSQL("\\i \(LeastPrivilegeTests.setupScript)", database: "postgres")
            let ownerURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_owner")
            let appURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_app")
            try PassageDatabase.open(LeastPrivilegeTests.choice(ownerURL), use: .migrate, logger: LeastPrivilegeTests.quiet)
                .close()
            let pool = try PostgresPool(conninfo: appURL, size: 2, logger: LeastPrivilegeTests.quiet)
            let world: ReferralWorld
            do {
                try await pool.transaction { connection in
                    try TestAccounts.add(ReferralWorld.accounts + [("bea", .supervisor, "ngo-b")], on: connection)
                }
                world = try await ReferralWorld.make(on: pool)
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
            let key = NSTemporaryDirectory() + "passage-lp-transfer-key-\(UUID().uuidString)"
            try "service-tests-key-of-at-least-forty-chars\n".write(toFile: key, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
            defer { try? FileManager.default.removeItem(atPath: key) }
            let options = ServiceHostOptions(
                personalDataKey: .required(file: key), pools: .server, operatorName: "operator:test")
            let host = try await ServiceHost.open(LeastPrivilegeTests.choice(appURL), options, logger: LeastPrivilegeTests.quiet)
            do {
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
                let proposed = try await host.services.transfers.propose(
                    caseID: world.adultCase, to: "ngo-b", reason: .movedArea, consented: true, by: try await actor("amina"))
                #expect(proposed.status == .proposed)
                let accepted = try await host.services.transfers.accept(proposed.id, consented: false, by: try await actor("bea"))
                #expect(accepted.status == .accepted)
                let person = try await host.services.people.details(ofCase: world.adultCase, by: try await actor("bo"))
                #expect(person.names == ["Ana"])
                await #expect(throws: ServiceError.self) {
                    _ = try await host.services.cases.file(of: world.adultCase, by: try await actor("amina"))
                }
                let owners = try await host.services.transfers.owners(ofCase: world.adultCase, by: try await actor("bo"))
                #expect(owners.map(\.organisation) == ["ngo-a", "ngo-b"])
            } catch {
                await host.shutdown()
                throw error
            }
            await host.shutdown()
        }
    }
}
