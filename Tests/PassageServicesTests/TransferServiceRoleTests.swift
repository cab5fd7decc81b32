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
        try await ServiceRoleWorld.with("lp-transfer", extraAccounts: [("bea", .supervisor, "ngo-b")]) {
            host, world, actor in
            let proposed = try await host.services.transfers.propose(
                caseID: world.adultCase, to: "ngo-b", reason: .movedArea, consented: true, by: try await actor("amina"))
            #expect(proposed.status == .proposed)
            let accepted = try await host.services.transfers.accept(
                proposed.id, consented: false, by: try await actor("bea"))
            #expect(accepted.status == .accepted)
            let person = try await host.services.people.details(ofCase: world.adultCase, by: try await actor("bo"))
            #expect(person.names == ["Ana"])
            await #expect(throws: ServiceError.self) {
                _ = try await host.services.cases.file(of: world.adultCase, by: try await actor("amina"))
            }
            let owners = try await host.services.transfers.owners(ofCase: world.adultCase, by: try await actor("bo"))
            #expect(owners.map(\.organisation) == ["ngo-a", "ngo-b"])
        }
    }
}
