import Foundation
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

@testable import PassageServices

/// GapsService over a real database: whose rows the actor's role counts, the release made by
/// the first request and read by the later ones (kept in memory with its renderings), the audit
/// entry of every request in its transaction, and refusals naming what is wrong.
@Suite struct GapsServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("an", .analyst, "ngo-a"), ("pol", .policy, "ngo-a"), ("cw", .caseworker, "ngo-a"),
    ]

    /// ngo-a: 14 cases from SY, ngo-b: 14 from AF, each with one open need identified last month
    /// and nobody serving it (so unmet, and far above k).
    static func populate(_ fixture: ServiceFixture) async throws {
        try await fixture.pool.transaction { connection in
            for (name, origin) in [("ngo-a", "SY"), ("ngo-b", "AF")] {
                let organisation = try OrganisationStore.id(named: name, create: true, on: connection)
                let ids = try StatisticsFixtures.insert(
                    Array(repeating: FixtureCase(category: "idp", origin: origin), count: 14),
                    organisation: organisation, refPrefix: name, on: connection)
                try connection.execute(
                    """
                    INSERT INTO needs (case_id, organisation_id, code, priority, status, identified_by, identified_at)
                    SELECT id, organisation_id, 'SM', 'normal', 'open', 'cw', \(StatisticsFixtures.lastMonth) FROM cases WHERE id = ANY(\(ids.map(Int.init)))
                    """)
            }
        }
    }

    @Test(
        "policy staff count every organisation, analysts their own; the first request makes the release, later ones read it (the same kept answer), each audited"
    )
    func scopeReleaseAndAudit() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populate(fixture)
            let question = GapQuestion(kind: .unmet, dimensions: [.origin])
            let policy = try await fixture.actor("pol")
            let every = try await fixture.services.gaps.gaps(question, by: policy)
            #expect(every.scope == .everyOrganisation)
            #expect(
                every.published.columns.map(\.name) == [
                    "origin", "identified", "referred", "met", "unmet", "unmet_rate",
                ])
            #expect(every.published.columns.map(\.content) == [.dimension, .count, .count, .count, .count, .share])
            #expect(Set(every.published.rows.compactMap { $0.first?.text }) == ["SY", "AF"])
            #expect(every.published.rows.allSatisfy { ($0[1].count ?? 0) >= every.published.k })
            #expect(every.published.protections.map(\.name).contains("cell_key_perturbation"))
            #expect(every.release.period == .month && every.release.asOf == every.release.day)
            #expect(every.release.dayText.hasSuffix("-01"))

            let analyst = try await fixture.actor("an")
            let own = try await fixture.services.gaps.gaps(question, by: analyst)
            #expect(own.scope == .organisation("ngo-a"))
            #expect(own.published.rows.compactMap { $0.first?.text } == ["SY"])

            // Asked again: the stored answer, kept in memory with the renderings made of it.
            let again = try await fixture.services.gaps.gaps(question, by: policy)
            #expect(again == every)
            #expect(again.renderings === every.renderings)
            #expect(try await fixture.count("SELECT count(*) FROM gaps_releases") == 2)
            let made = try await fixture.audit(.gapsRelease)
            #expect(made.map(\.subject) == ["all", "organisation:ngo-a"])
            #expect(
                made.allSatisfy { $0.detail.hasPrefix("release=\(every.release.dayText) unmet by=origin days=7 rows=") }
            )
            let asked = try await fixture.audit(.gapsUnmet)
            #expect(asked.map(\.actor) == ["pol", "an", "pol"])
            #expect(asked.map(\.subject) == ["organisations:all", "organisation:ngo-a", "organisations:all"])
            #expect(asked.allSatisfy { $0.detail == "by=origin days=7" && $0.source == "192.0.2.7" })
        }
    }

    @Test(
        "a caseworker, a dimension that means nothing for the kind and a malformed area are refused; nothing is stored or audited"
    )
    func refusals() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            await #expect(throws: ServiceError.permissionDenied("the caseworker role may not use GAPS")) {
                try await fixture.services.gaps.gaps(GapQuestion(kind: .unmet), by: caseworker)
            }
            let analyst = try await fixture.actor("an")
            for (question, argument) in [
                (GapQuestion(kind: .unmet, dimensions: [.service]), "by"),
                (GapQuestion(kind: .coverage, dimensions: [.provider]), "by"),
                (GapQuestion(kind: .unmet, area: "colombia"), "area"),
                (GapQuestion(kind: .unmet, days: 0), "days"),
            ] {
                do {
                    _ = try await fixture.services.gaps.gaps(question, by: analyst)
                    Issue.record("\(question) was answered")
                } catch let error as ServiceError {
                    guard case .badArgument(let named, _) = error else {
                        Issue.record("\(error)")
                        continue
                    }
                    #expect(named == argument)
                } catch {
                    Issue.record("\(error)")
                }
            }
            #expect(try await fixture.count("SELECT count(*) FROM gaps_releases") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM audit_log WHERE action LIKE 'gaps.%'") == 0)
        }
    }

    @Test("the stored form reads back to the same typed answer: counts, figures and nulls by their column")
    func storedFormRoundTrips() throws {
        let published = PublishedGaps(
            columns: GapColumn.columns(of: .outcomes, dimensions: ["provider", "service"]),
            rows: [
                [
                    .text("Clinica Norte"), .text("health"), .text("accepted"), .text(""), .count(12), .figure(0.857),
                    .figure(48), .figure(nil),
                ],
                [
                    .text("Clinica Norte"), .text("health"), .text("declined"), .text("full"), .count(nil),
                    .figure(nil), .figure(nil), .figure(nil),
                ],
            ],
            protections: [
                AppliedProtection(name: "release_change", parameters: [ProtectionParameter("rule", "threshold_update")])
            ],
            k: 5)
        let asOf = Date(timeIntervalSince1970: 1_796_083_200)
        let text = GapReleases.encode(published, asOf: asOf)
        // The shape the console's reply values gave it (Codable enum cases), which stored releases have.
        #expect(text.contains(#"[{"string":{"_0":"Clinica Norte"}},"#))
        #expect(text.contains(#"{"int":{"_0":12}},{"double":{"_0":0.857}},"#))
        #expect(text.contains(#"{"null":{}}]"#))
        let stored = try GapReleases.decode(text, kind: .outcomes, release: asOf)
        #expect(stored.published == published)
        #expect(stored.asOf == asOf)
        #expect(throws: StoreError.self) { try GapReleases.decode(text, kind: .unmet, release: asOf) }
    }
}
