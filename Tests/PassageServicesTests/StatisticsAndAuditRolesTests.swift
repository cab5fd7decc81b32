import Foundation
import PassageCore
import PassageServices
import Testing

/// The second line behind the interfaces' role checks (Actor.require, UseCase): a role the
/// statistics and audit use cases do not serve is refused by the service itself, before any
/// query or audit entry — whichever interface, or mistake in one, called it.
@Suite struct StatisticsAndAuditRolesTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("sup", .supervisor, "ngo-a"), ("an", .analyst, "ngo-a"),
        ("adm", .admin, "ngo-a"),
    ]

    @Test("casework and administrators cannot count; only administrators read or verify the audit trail")
    func servicesRefuseOtherRoles() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            for name in ["cw", "sup", "adm"] {
                let actor = try await fixture.actor(name)
                await #expect(
                    throws: ServiceError.permissionDenied("the \(actor.role.rawValue) role may not use STATS")
                ) {
                    _ = try await fixture.services.statistics.aggregates(AggregateRequest(by: ["sex"]), by: actor)
                }
                await #expect(
                    throws: ServiceError.permissionDenied("the \(actor.role.rawValue) role may not use STATS")
                ) {
                    _ = try await fixture.services.statistics.microdata(MicrodataRequest(), by: actor)
                }
            }
            for name in ["cw", "an"] {
                let actor = try await fixture.actor(name)
                await #expect(throws: ServiceError.self) { _ = try await fixture.services.audit.tail(5, by: actor) }
                await #expect(throws: ServiceError.self) { _ = try await fixture.services.audit.verify(by: actor) }
            }
            #expect(try await fixture.audit(.statsExport).isEmpty)
            #expect(try await fixture.audit(.statsMicrodata).isEmpty)
            let admin = try await fixture.actor("adm")
            #expect(try await fixture.services.audit.tail(5, by: admin).count == 5)
            let analyst = try await fixture.actor("an")
            #expect(
                try await fixture.services.statistics.aggregates(AggregateRequest(by: ["sex"]), by: analyst).unit
                    == .cases)
        }
    }
}
