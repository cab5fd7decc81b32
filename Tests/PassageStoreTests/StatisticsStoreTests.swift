import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Statistics store: aggregates under the statistics role, release periods, budget, audit")
struct StatisticsStoreTests {
    let statistics = StatisticsStore()

    static let origins = ["SY", "AF", "VE", "SS", "UA", "CD", "MM", "ER", "SO", "SD"]
    static let categories = ["refugee_asylum", "idp", "migrant_worker", "trafficked"]

    @Test("the statistics role has no privilege on persons, case facts, users or the audit log")
    func roleCannotReadPersonalData() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        for role in ["passage_statistics", "passage_statistics_scoped"] {
            let denied = try db.query(
                """
                SELECT has_table_privilege(\(role), 'persons', 'SELECT'), has_column_privilege(\(role), 'cases', 'facts', 'SELECT'),
                       has_table_privilege(\(role), 'users', 'SELECT'), has_table_privilege(\(role), 'audit_log', 'SELECT')
                """)[0]
            #expect(
                try (0..<4).map { try denied.decode(Bool.self, at: $0) } == [false, false, false, false], "\(role)")
        }
        let privileges = try db.query(
            """
            SELECT has_table_privilege('passage_statistics', 'persons', 'SELECT'),
                   has_column_privilege('passage_statistics', 'cases', 'facts', 'SELECT'),
                   has_column_privilege('passage_statistics', 'cases', 'person_id', 'SELECT'),
                   has_table_privilege('passage_statistics', 'users', 'SELECT'),
                   has_table_privilege('passage_statistics', 'audit_log', 'SELECT'),
                   has_column_privilege('passage_statistics', 'cases', 'origin_country', 'SELECT')
            """)[0]
        let (persons, facts, personID, users, auditLog, origin) = try privileges.decode(
            (Bool, Bool, Bool, Bool, Bool, Bool).self)
        #expect([persons, facts, personID, users, auditLog] == [false, false, false, false, false])
        #expect(origin)
        // Row-level security: scoped to another organisation, the role sees none of these cases
        // even with no WHERE of its own; unscoped (policy staff) it sees them all.
        try StatisticsFixtures.insert(Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 3), on: db)
        let other = try OrganisationStore.id(named: "other", create: true, on: db)
        for (scope, expected) in [(Optional(other), 0), (nil, 3)] {
            let seen = try db.transaction { connection in
                try StatisticsStore.asStatisticsRole(scope: scope, on: connection) {
                    try connection.query("SELECT count(*) FROM cases")[0].decode(Int.self)
                }
            }
            #expect(seen == expected)
        }
        // And by trying: each read as the role is refused with insufficient_privilege.
        for statement: PostgresQuery in [
            "SELECT count(*) FROM persons", "SELECT facts FROM cases", "SELECT name FROM users",
            "SELECT count(*) FROM audit_log",
        ] {
            do {
                try db.transaction { connection in
                    try connection.executeScript("SET LOCAL ROLE passage_statistics")
                    _ = try connection.query(statement)
                }
                Issue.record("\(statement) was allowed")
            } catch let error as PostgresError {
                #expect(error.serverError?.sqlState == "42501", "\(statement): \(error)")
            }
        }
    }

    @Test("counts by two dimensions: full cross product, nothing in 1…k−1, audited with parameters and row count")
    func aggregateAndAudit() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        var cases: [FixtureCase] = []
        for (index, origin) in Self.origins.prefix(3).enumerated() {
            cases += Array(repeating: FixtureCase(category: "refugee_asylum", origin: origin), count: 20 + 10 * index)
        }
        cases += Array(repeating: FixtureCase(category: "trafficked", origin: "SY"), count: 2)
        try StatisticsFixtures.insert(cases, on: db)
        let request = try StatisticsRequest(by: "category,origin", k: 5)
        let export = try statistics.export(request, organisation: 1, actor: "ana", source: "test", on: db)
        #expect(export.table.dimensions == ["category", "origin"])
        // 5 categories × the 3 origins whose totals pass k.
        #expect(export.table.cells.count == 15)
        #expect(export.table.cells.allSatisfy { $0.value == nil || $0.value! >= 5 })
        let trafficked = export.table.cells.first { $0.values == ["trafficked", "SY"] }
        #expect(trafficked?.suppressed == true)
        let refugeesSY = try #require(export.table.cells.first { $0.values == ["refugee_asylum", "SY"] }?.value)
        #expect(abs(refugeesSY - 20) <= 3)
        #expect(
            export.table.protections.map(\.name).starts(with: [
                "release", "coarsening", "export_role", "release_change", "cell_key_perturbation",
            ]))
        // The same query again: the very same output.
        #expect(
            try statistics.export(request, organisation: 1, actor: "ana", source: "test", on: db).table == export.table)
        let entry = try #require(try AuditLog.tail(1, on: db).last)
        #expect(entry.actor == "ana" && entry.action == "stats.export")
        #expect(
            entry.detail.contains("by=category,origin") && entry.detail.contains("k=5")
                && entry.detail.contains("rows=15"))
        // A filtered table publishes exactly the matching cells of the wider table.
        let filtered = try statistics.export(
            try StatisticsRequest(by: "origin", k: 5, filters: [("category", "refugee_asylum")]),
            organisation: 1, actor: "ana", source: "test", on: db)
        #expect(filtered.table.dimensions == ["origin"])
        #expect(
            filtered.table.cells
                == export.table.cells.filter { $0.values[0] == "refugee_asylum" }.map {
                    PublishedCell(values: [$0.values[1]], value: $0.value)
                })
        // Another organisation sees none of it.
        let other = try OrganisationStore.id(named: "other", create: true, on: db)
        let empty = try statistics.export(
            try StatisticsRequest(by: "origin"), organisation: other, actor: "x", source: "test", on: db)
        #expect(empty.table.cells.isEmpty)
    }

    @Test(
        "a random sample of real exports, k from 5 to 20: no published count in 1…k−1, and zeros suppressed like small counts"
    )
    func randomExportsHaveNoSmallCounts() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        var random = SplitMix64(seed: 2026)
        let sexes = ["female", "male", "other"]
        let areas = ["CO-ANT", "CO-BOL", "CO-ATL", "CO-NAR"]
        let cases = (0..<1500).map { _ in
            FixtureCase(
                category: Self.categories[min(random.below(4), random.below(4))],
                origin: Self.origins[min(random.below(10), random.below(10))],
                sex: sexes[min(random.below(3), random.below(3))], age: min(random.below(90), random.below(90)),
                area: areas[random.below(4)])
        }
        try StatisticsFixtures.insert(cases, on: db)
        let dimensions = ["category", "origin", "sex", "age_band", "area", "month"]
        var published = 0
        var suppressed = 0
        for k in 5...20 {
            for _ in 0..<3 {
                let by = dimensions.filter { _ in random.below(2) == 0 }.prefix(3).joined(separator: ",")
                let export = try statistics.export(
                    try StatisticsRequest(by: by, k: k, totals: random.below(2) == 0),
                    organisation: 1, actor: "sampler", source: "t", on: db)
                for cell in export.table.cells {
                    if let value = cell.value {
                        #expect(value >= k, "by=\(by) k=\(k): \(cell)")
                        published += 1
                    } else {
                        suppressed += 1
                    }
                }
            }
        }
        #expect(published > 0 && suppressed > 0)
    }

    @Test("a case recorded in the current release period is counted only from the next one")
    func releasePeriodFreezes() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        try StatisticsFixtures.insert(Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 40), on: db)
        let request = try StatisticsRequest(by: "category")
        let before = try statistics.export(request, organisation: nil, actor: "p", source: "test", on: db)
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 30), at: Date(), on: db)
        let after = try statistics.export(request, organisation: nil, actor: "p", source: "test", on: db)
        #expect(before.table == after.table)
        let nextMonth = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        let later = try nextMonth.export(request, organisation: nil, actor: "p", source: "test", on: db)
        let idp = try #require(later.table.cells.first { $0.values == ["idp"] }?.value)
        #expect(abs(idp - 70) <= 3)
    }

    @Test("needs and referrals are counted with of=, and their dimensions imply them")
    func needsAndReferrals() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let ids = try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "refugee_asylum", origin: "SY"), count: 30), on: db)
        try StatisticsFixtures.needsAndReferrals(
            cases: Array(ids.prefix(20)), code: "LP", service: "legal_assistance", status: "completed", on: db)
        try StatisticsFixtures.needsAndReferrals(
            cases: Array(ids.suffix(10)), code: "SM", service: "health", status: "declined", on: db)
        let byNeed = try statistics.export(
            try StatisticsRequest(by: "need,dimension"), organisation: 1, actor: "a", source: "t", on: db)
        #expect(byNeed.unit == .needs)
        let legal = try #require(byNeed.table.cells.first { $0.values == ["LP", "political"] }?.value)
        #expect(abs(legal - 20) <= 3)
        let byStatus = try statistics.export(
            try StatisticsRequest(by: "referral_status,service"), organisation: 1, actor: "a", source: "t", on: db)
        #expect(byStatus.unit == .referrals)
        #expect(byStatus.table.cells.count == 5 * 14)
        let declined = try #require(byStatus.table.cells.first { $0.values == ["declined", "health"] }?.value)
        #expect(abs(declined - 10) <= 3)
        let neededCases = try statistics.export(
            try StatisticsRequest(of: "needs", by: "origin"), organisation: 1, actor: "a", source: "t", on: db)
        #expect(abs((neededCases.table.cells.first?.value ?? 0) - 30) <= 3)
        #expect(throws: StoreError.self) { try StatisticsRequest(of: "cases", by: "service") }
        #expect(throws: StoreError.invalid(argument: "k", message: "k must be at least 5, got 4")) {
            try StatisticsRequest(k: 4)
        }
        #expect(throws: StoreError.self) { try StatisticsRequest(by: "name") }
    }

    @Test(
        "DP is the organisation's policy: ε per table from one budget per release shared by its analysts; re-reading spends nothing; dp= is refused"
    )
    func privacyPolicy() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        try StatisticsFixtures.insert(Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 40), on: db)
        #expect(throws: StoreError.self) { try StatisticsRequest(by: "category", dp: 4) }
        try PrivacyPolicy.set(
            try PrivacyPolicy(epsilon: 1, budget: 2), scope: "organisation:1", actor: "operator:root", source: "cli",
            on: db)
        let first = try statistics.export(
            try StatisticsRequest(by: "category"), organisation: 1, actor: "dora", source: "t", on: db)
        #expect(first.epsilonSpent == 1 && first.budgetLeft == 1)
        #expect(
            first.table.protections.contains {
                $0.summary.hasPrefix(
                    "differential_privacy mechanism=two_sided_geometric_on_top_of_cell_key epsilon=1.0")
            })
        #expect(first.table.protections.contains { $0.name == "cell_key_perturbation" })
        // Another analyst re-reading the same table: the release's values, nothing spent.
        let again = try statistics.export(
            try StatisticsRequest(by: "category"), organisation: 1, actor: "eve", source: "t", on: db)
        #expect(again.table.cells == first.table.cells && again.epsilonSpent == 0)
        _ = try statistics.export(
            try StatisticsRequest(by: "origin"), organisation: 1, actor: "eve", source: "t", on: db)
        // The budget is the organisation's: a third analyst finds it spent.
        #expect(throws: StoreError.self) {
            try statistics.export(try StatisticsRequest(by: "sex"), organisation: 1, actor: "fred", source: "t", on: db)
        }
        // Policy staff's scope (every organisation) has no policy here: no DP noise, nothing spent.
        let policy = try statistics.export(
            try StatisticsRequest(by: "sex"), organisation: nil, actor: "pol", source: "t", on: db)
        #expect(policy.epsilonSpent == 0 && !policy.table.protections.contains { $0.name == "differential_privacy" })
        #expect(try db.query("SELECT count(*) FROM audit_log WHERE action = 'privacy.policy'")[0].decode(Int.self) == 1)
    }

    @Test(
        "releases: made once per period and audited, one value per cell across tables, frozen within the period, changes below k held, other windows refused"
    )
    func releases() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        try StatisticsFixtures.insert(Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 40), on: db)
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "refugee_asylum", origin: "SY"), count: 25), on: db)
        let byCategory = try statistics.export(
            try StatisticsRequest(by: "category"), organisation: 1, actor: "a", source: "t", on: db)
        #expect(byCategory.release == StatisticsStore.day(ReleasePeriod.month.cutoff(at: Date())))
        #expect(byCategory.table.protections.contains { $0.summary.hasPrefix("release release=\(byCategory.release)") })
        #expect(byCategory.table.protections.contains { $0.name == "suppression_rate" })
        let idp = try #require(byCategory.table.cells.first { $0.values == ["idp"] }?.value)
        // The same cell as a margin of another table, and through a filter: the release's one value.
        let crossed = try statistics.export(
            try StatisticsRequest(by: "category,origin", totals: true), organisation: 1, actor: "b", source: "t", on: db
        )
        #expect(crossed.table.cells.first { $0.values == ["idp", "total"] }?.value == idp)
        // Frozen: 30 more recorded today change nothing this period, and re-asking reads the release.
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 30), at: Date(), on: db)
        #expect(
            try statistics.export(
                try StatisticsRequest(by: "category"), organisation: 1, actor: "a", source: "t", on: db
            ).table == byCategory.table)
        #expect(try db.query("SELECT count(*) FROM audit_log WHERE action = 'stats.release'")[0].decode(Int.self) == 2)
        // Windows: everything released, or one released month; nothing else.
        let lastMonth = StatisticsWindow.utc.dateComponents([.year, .month], from: StatisticsFixtures.lastMonth)
        let last = String(format: "%04d-%02d", lastMonth.year!, lastMonth.month!)
        let month = try statistics.export(
            try StatisticsRequest(by: "category", from: last, to: last), organisation: 1, actor: "a", source: "t",
            on: db)
        #expect(month.table.cells.first { $0.values == ["idp"] }?.value == idp)
        for (from, to) in [(last, nil), ("2020-01", last), (nil, "2020-01")] as [(String?, String?)] {
            #expect(throws: StoreError.self, "from=\(from ?? "-") to=\(to ?? "-")") {
                try statistics.export(
                    try StatisticsRequest(by: "category", from: from, to: to), organisation: 1, actor: "a", source: "t",
                    on: db)
            }
        }
        // Next period: idp moved by 30 (at least k): published afresh; refugee_asylum did not move: held.
        let next = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        let later = try next.export(
            try StatisticsRequest(by: "category"), organisation: 1, actor: "a", source: "t", on: db)
        let idpLater = try #require(later.table.cells.first { $0.values == ["idp"] }?.value)
        #expect(abs(idpLater - 70) <= 3)
        #expect(
            later.table.cells.first { $0.values == ["refugee_asylum"] }?.value
                == byCategory.table.cells.first { $0.values == ["refugee_asylum"] }?.value)
        // The period after: 3 more idp (below k) leave the published value exactly as it was.
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 3),
            at: Date().addingTimeInterval(45 * 86_400), on: db)
        let after = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(75 * 86_400) })
        #expect(
            try after.export(try StatisticsRequest(by: "category"), organisation: 1, actor: "a", source: "t", on: db)
                .table.cells.first { $0.values == ["idp"] }?.value == idpLater)
    }

    /// The differencing attack of issue 6: one person with a rare (category, origin) pair is
    /// added; the attacker exports by category+origin, by category and by origin before and
    /// after, and guesses the pair from what changed.
    @Test("differencing attack: right in at most 10% of 50 trials, against 100% for a naive export")
    func differencingAttack() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        // A population in which every category and origin is common, but 20 pairs are rare (0–2).
        var random = SplitMix64(seed: 606)
        var population: [FixtureCase] = []
        var rare: [(String, String)] = []
        for (categoryIndex, category) in Self.categories.enumerated() {
            for (originIndex, origin) in Self.origins.enumerated() {
                let isRare = (categoryIndex + originIndex) % 2 == 0
                let count = isRare ? random.below(3) : 15 + random.below(30)
                if isRare { rare.append((category, origin)) }
                population += Array(repeating: FixtureCase(category: category, origin: origin), count: count)
            }
        }
        #expect(rare.count >= 10)
        try StatisticsFixtures.insert(population, on: db)

        func protectedExports() throws -> [PublishedTable] {
            try ["category,origin", "category", "origin"].map { by in
                try statistics.export(
                    try StatisticsRequest(by: by), organisation: 1, actor: "attacker", source: "t", on: db
                ).table
            }
        }
        func naiveExports() throws -> [[[String]: Int]] {
            try [
                SQLFragment("primary_category || '|' || origin_country"), SQLFragment("primary_category"),
                SQLFragment("origin_country"),
            ].map { key in
                var interpolation = PostgresQuery.StringInterpolation(literalCapacity: 80, interpolationCount: 2)
                interpolation.appendLiteral("SELECT ")
                interpolation.appendInterpolation(key)
                interpolation.appendLiteral(", count(*)::bigint FROM cases GROUP BY 1")
                var counts: [[String]: Int] = [:]
                for row in try db.query(PostgresQuery(stringInterpolation: interpolation)) {
                    let (key, count) = try row.decode((String, Int).self)
                    counts[[key]] = count
                }
                return counts
            }
        }
        /// The attacker's best guess: the category and the origin whose published totals
        /// changed (or the one changed cell); with nothing changed, the first rare pair.
        func guess(changedCategories: Set<String>, changedOrigins: Set<String>, changedPairs: Set<String>) -> String {
            if changedPairs.count == 1 { return changedPairs.first! }
            if let category = changedCategories.first, let origin = changedOrigins.first,
                changedCategories.count == 1, changedOrigins.count == 1
            {
                return category + "|" + origin
            }
            return rare[0].0 + "|" + rare[0].1
        }
        func changed(_ before: PublishedTable, _ after: PublishedTable) -> Set<String> {
            var result = Set<String>()
            let old = Dictionary(before.cells.map { ($0.values, $0.value) }, uniquingKeysWith: { a, _ in a })
            for cell in after.cells where old[cell.values] != .some(cell.value) {
                result.insert(cell.values.joined(separator: "|"))
            }
            for cell in before.cells where !after.cells.contains(where: { $0.values == cell.values }) {
                result.insert(cell.values.joined(separator: "|"))
            }
            return result
        }

        var protectedRight = 0
        var naiveRight = 0
        for trial in 0..<50 {
            let (category, origin) = rare[random.below(rare.count)]
            let truth = category + "|" + origin
            let protectedBefore = try protectedExports()
            let naiveBefore = try naiveExports()
            let ids = try StatisticsFixtures.insert(
                [FixtureCase(category: category, origin: origin)], at: Date(), refPrefix: "t\(trial)", on: db)
            let protectedAfter = try protectedExports()
            let naiveAfter = try naiveExports()
            if guess(
                changedCategories: changed(protectedBefore[1], protectedAfter[1]),
                changedOrigins: changed(protectedBefore[2], protectedAfter[2]),
                changedPairs: changed(protectedBefore[0], protectedAfter[0])) == truth
            {
                protectedRight += 1
            }
            let naiveChanged = { (index: Int) in
                Set(naiveAfter[index].keys.filter { naiveAfter[index][$0] != naiveBefore[index][$0] }.map { $0[0] })
            }
            if guess(changedCategories: naiveChanged(1), changedOrigins: naiveChanged(2), changedPairs: naiveChanged(0))
                == truth
            {
                naiveRight += 1
            }
            try db.execute("DELETE FROM cases WHERE id = \(ids[0])")
        }
        #expect(naiveRight == 50)
        #expect(protectedRight <= 5, "protected export guessed right \(protectedRight) of 50 times")
    }
}
