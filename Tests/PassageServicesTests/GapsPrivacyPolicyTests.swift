import Foundation
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

@testable import PassageServices

/// Issue 17: an organisation's differential-privacy policy applies to GAPS as to STATS — noise on
/// top of the cell key for the cells a release makes, ε spent from the release's shared budget —
/// and parts still never exceed their whole.
@Suite("Gaps: the organisation's DP policy")
struct GapsPrivacyPolicyTests {
    static func int(_ cell: GapCell) -> Int? { cell.count }

    @Test(
        "GAPS under a DP policy differs from the same release without one, spends the scope's budget, says so, and no part exceeds its whole"
    )
    func gapsUnderPolicy() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        // Needs in 7 origins × 3 sexes, 6 to 14 each, about half of them referred.
        var random = SplitMix64(seed: 2017)
        for origin in ["SY", "AF", "VE", "SS", "UA", "CD", "MM"] {
            for sex in ["female", "male", "other"] {
                let ids = try StatisticsFixtures.insert(
                    Array(
                        repeating: FixtureCase(category: "idp", origin: origin, sex: sex), count: 6 + random.below(9)),
                    on: db)
                try StatisticsFixtures.needsAndReferrals(
                    cases: Array(ids.prefix(ids.count / 2)), code: "SM", service: "health", status: "pending", on: db)
                try db.execute(
                    """
                    INSERT INTO needs (case_id, organisation_id, code, priority, status, identified_by, identified_at)
                    SELECT id, 1, 'SM', 'normal', 'open', 'cw', \(StatisticsFixtures.lastMonth) FROM unnest(\(ids.suffix(ids.count - ids.count / 2).map(Int.init))) AS c(id)
                    """)
            }
        }
        let releases = GapReleases(period: .month)
        let query = GapQuery(kind: .unmet, by: [.origin, .sex], organisation: nil, now: releases.boundary)
        let table = try GapsStore().run(query, on: db)
        // The same counts published for two scopes of the same release: one under a policy of
        // ε = 0.2 (noise of a few units), one without.
        try PrivacyPolicy.set(
            try PrivacyPolicy(epsilon: 0.2, budget: 50), scope: "all", actor: "operator:root", source: "cli", on: db)
        let plain = try releases.publish(
            table, kind: .unmet, question: "unmet by=origin,sex days=7", area: nil, category: nil, days: 7,
            scope: "organisation:1", on: db)
        let noisy = try releases.publish(
            table, kind: .unmet, question: "unmet by=origin,sex days=7", area: nil, category: nil, days: 7,
            scope: "all", on: db)
        #expect(!plain.protections.contains { $0.name == "differential_privacy" })
        let dp = try #require(noisy.protections.first { $0.name == "differential_privacy" })
        #expect(
            dp.summary.hasPrefix(
                "differential_privacy mechanism=two_sided_geometric_on_top_of_cell_key epsilon=0.2 budget_per_release=50.0"
            ))
        #expect(noisy.protections.contains { $0.name == "cell_key_perturbation" })
        #expect(noisy.rows != plain.rows, "DP noise changed nothing")
        // Spent from the release's budget of the scope: ε per table (4 measures, each as detail
        // cells and as the listed origins' totals), the budget STATS tables spend from too.
        let spent = try db.query("SELECT spent FROM privacy_spending WHERE scope = 'all'")[0].decode(Double.self, at: 0)
        let tables = try #require(dp.parameters.first { $0.name == "tables" }.flatMap { Int($0.value) })
        #expect(tables == 8)
        #expect(abs(spent - 0.2 * Double(tables)) < 1e-9)
        #expect(
            try db.query("SELECT count(*) FROM privacy_spending WHERE scope = 'organisation:1'")[0].decode(
                Int.self, at: 0) == 0)
        // Parts at most their whole, rates at most 1, nothing shown below k.
        for row in noisy.rows {
            let whole = Self.int(row[2])
            for part in [row[3], row[4], row[5]] {
                guard let part = Self.int(part) else { continue }
                let identified = try #require(whole, "a part shown without its whole: \(row)")
                #expect(part <= identified, "\(row)")
                #expect(part >= DisclosureParameters.defaultK)
            }
            if case .figure(let rate?) = row[6] { #expect(rate <= 1, "\(row)") }
        }
        // A budget spent refuses the next new GAPS table of the release, as a STATS table would be.
        try PrivacyPolicy.set(
            try PrivacyPolicy(epsilon: 0.2, budget: 1.7), scope: "all", actor: "operator:root", source: "cli", on: db)
        #expect(throws: StoreError.self) {
            try releases.publish(
                try GapsStore().run(
                    GapQuery(kind: .unmet, by: [.sex], organisation: nil, now: releases.boundary), on: db),
                kind: .unmet, question: "unmet by=sex days=7", area: nil, category: nil, days: 7, scope: "all", on: db)
        }
    }
}
