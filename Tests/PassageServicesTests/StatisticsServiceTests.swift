import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// StatisticsService over a real database: whose figures the actor's role counts, the audit
/// entry of each export, refusals naming the argument, and who may set a privacy policy.
@Suite struct StatisticsServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("an", .analyst, "ngo-a"), ("pol", .policy, "ngo-a"), ("adm", .admin, "ngo-a"),
    ]

    /// ngo-a: 30 cases from VE; ngo-b: 30 from MM, all recorded last month (in the release).
    static func populate(_ fixture: ServiceFixture) async throws {
        try await fixture.pool.transaction { connection in
            let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: connection)
            let ngoB = try OrganisationStore.id(named: "ngo-b", create: true, on: connection)
            try StatisticsFixtures.insert(
                Array(repeating: FixtureCase(category: "refugee_asylum", origin: "VE"), count: 30), organisation: ngoA,
                on: connection)
            try StatisticsFixtures.insert(
                Array(repeating: FixtureCase(category: "trafficked", origin: "MM"), count: 30), organisation: ngoB,
                on: connection)
        }
    }

    @Test("an analyst counts their organisation, policy staff every one; each export audited under its actor")
    func scopeFollowsTheRole() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populate(fixture)
            let analyst = try await fixture.actor("an")
            let own = try await fixture.services.statistics.aggregates(AggregateRequest(by: ["origin"]), by: analyst)
            #expect(own.table.cells.map(\.values) == [["VE"]])
            let policy = try await fixture.actor("pol")
            let every = try await fixture.services.statistics.aggregates(AggregateRequest(by: ["origin"]), by: policy)
            #expect(Set(every.table.cells.map(\.values)) == [["VE"], ["MM"]])
            let exports = try await fixture.audit(.statsExport)
            #expect(exports.map(\.actor) == ["an", "pol"])
            #expect(exports.allSatisfy { $0.source == "192.0.2.7" })
        }
    }

    @Test("a bad request names its argument and exports nothing")
    func badArgumentsAreNamed() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let analyst = try await fixture.actor("an")
            for (request, named, saying) in [
                (AggregateRequest(by: ["origin"], k: 4), "k", "at least 5"),
                (AggregateRequest(by: ["shoe_size"]), "by", "shoe_size"),
            ] {
                do {
                    _ = try await fixture.services.statistics.aggregates(request, by: analyst)
                    Issue.record("\(request) was counted")
                } catch let error as ServiceError {
                    guard case .badArgument(let argument, let message) = error else {
                        Issue.record("\(error)")
                        continue
                    }
                    #expect(argument == named && message.contains(saying), "\(error)")
                }
            }
            #expect(try await fixture.audit(.statsExport).isEmpty)
        }
    }

    @Test("only an administrator sets a privacy policy; it is audited and read back")
    func privacyPolicyByAnAdministrator() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let analyst = try await fixture.actor("an")
            await #expect(throws: ServiceError.permissionDenied("only an administrator sets a privacy policy")) {
                _ = try await fixture.services.statistics.setPrivacyPolicy(
                    of: "ngo-a", epsilon: 1, budget: 4, by: analyst)
            }
            let admin = try await fixture.actor("adm")
            let set = try await fixture.services.statistics.setPrivacyPolicy(
                of: "ngo-a", epsilon: 1, budget: 4, by: admin)
            #expect(set.epsilon == 1 && set.budget == 4 && set.scope.hasPrefix("organisation:"))
            #expect(try await fixture.services.statistics.privacyPolicy(of: "ngo-a", by: admin) == set)
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.statistics.setPrivacyPolicy(
                    of: "ngo-a", epsilon: 20, budget: 40, by: admin)
            }
            let removed = try await fixture.services.statistics.setPrivacyPolicy(
                of: "ngo-a", epsilon: nil, budget: nil, by: admin)
            #expect(removed.epsilon == nil)
            #expect(
                try await fixture.audit(.privacyPolicy).map(\.detail) == [
                    "epsilon=1.0 budget_per_release=4.0", "removed",
                ])
        }
    }
}
