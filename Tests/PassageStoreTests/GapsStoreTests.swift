import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The raw gap queries on GapFixture, before any disclosure control: exact, hand-computed counts.
@Suite("Gaps: the four queries on a hand-computed fixture")
struct GapsStoreTests {
    let store = GapsStore()

    func run(
        _ kind: GapKind, by: [GapDimension] = [], organisation: Int64?, days: Int = 7, area: String? = nil,
        on db: PostgresConnection
    ) throws -> GapTable {
        try store.run(
            GapQuery(kind: kind, by: by, area: area, days: days, organisation: organisation, now: GapFixture.now),
            on: db)
    }

    static func counts(_ row: GapRow?, _ measures: [String]) -> [Int] {
        measures.map { row?.counts[$0]?.count ?? -1 }
    }

    @Test("unmet: identified, referred, met and unmet, for one organisation and for all")
    func unmet() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let fixture = try GapFixture(on: db)
        let measures = ["identified", "referred", "met", "unmet"]
        // A: n1..n5 (n6 withdrawn); referred n2 (pending), n3 (completed); met n3; unmet n1 (only declined), n5 (none).
        let analyst = try run(.unmet, organisation: fixture.organisationA, on: db)
        #expect(analyst.rows.count == 1)
        #expect(Self.counts(analyst.rows.first, measures) == [5, 2, 1, 2])
        // Every organisation adds n7 (referred, but only unsuccessfully: unmet) and n8 (pending referral).
        let policy = try run(.unmet, organisation: nil, on: db)
        #expect(Self.counts(policy.rows.first, measures) == [7, 4, 1, 3])
        // n4 is 3 days old: unmet from days=2.
        #expect(Self.counts(try run(.unmet, organisation: nil, days: 2, on: db).rows.first, measures) == [7, 4, 1, 4])
        // Freedom from fear (LP-ND, SV-VA, WR, LP, CR, FU) against want (SM).
        let freedom = try run(.unmet, by: [.freedom], organisation: nil, on: db)
        #expect(Self.counts(freedom.row("fear"), measures) == [6, 3, 1, 3])
        #expect(Self.counts(freedom.row("want"), measures) == [1, 1, 0, 0])
        let byNeed = try run(.unmet, by: [.need, .area], organisation: nil, on: db)
        #expect(Self.counts(byNeed.row("LP", "CO-DC"), measures) == [1, 0, 0, 1])
        #expect(byNeed.rows.count == 7)
        let area = try run(.unmet, organisation: nil, area: "CO-DC", on: db)
        #expect(Self.counts(area.rows.first, measures) == [1, 0, 0, 1])
        // The cell key is the sum of the counted rows' record keys, mod 2^32.
        let keys = try db.query("SELECT (sum(record_key) % 4294967296)::bigint FROM needs WHERE status <> 'withdrawn'")[
            0
        ].decode(Int64.self)
        #expect(policy.rows.first?.counts["identified"]?.key == UInt32(keys))
    }

    @Test("overdue: pending past due, by priority, provider and area, with hours late")
    func overdue() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let fixture = try GapFixture(on: db)
        let policy = try run(.overdue, organisation: nil, on: db)
        #expect(policy.dimensions == ["priority", "provider", "area"])
        #expect(policy.rows.count == 2)
        let normal = policy.row("normal", "Clinica Norte", "CO-ANT")
        #expect(normal?.counts["overdue"]?.count == 1)
        #expect(normal?.figures["median_hours_late"] == 120)
        let emergency = policy.row("emergency", "Casa Segura", "CO-ANT")
        #expect(emergency?.counts["overdue"]?.count == 1)
        #expect(emergency?.figures["p90_hours_late"] == 72)
        let analyst = try run(.overdue, organisation: fixture.organisationA, on: db)
        #expect(analyst.rows.map(\.values) == [["normal", "Clinica Norte", "CO-ANT"]])
        let byNeed = try run(.overdue, by: [.need], organisation: nil, on: db)
        #expect(byNeed.rows.map(\.values) == [["FU"], ["SM"]])
    }

    @Test("coverage: open needs by area and service beside active providers and their capacity")
    func coverage() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        _ = try GapFixture(on: db)
        let table = try run(.coverage, organisation: nil, on: db)
        func pair(_ area: String, _ service: String) -> (Int, Int, Int?)? {
            table.row(area, service).map {
                ($0.counts["open_needs"]!.count, $0.registry["providers"]!, $0.registry["capacity"])
            }
        }
        // legal_assistance serves LP (n1), CR (n7), FU (n8); Casa Segura's capacity is 1.
        #expect(pair("CO-ANT", "legal_assistance")! == (3, 1, 1))
        #expect(pair("CO-ANT", "safe_shelter")! == (3, 1, 1))  // n1, n4, n7
        #expect(pair("CO-ANT", "other")! == (5, 0, nil))  // n1, n2, n4, n7, n8
        #expect(pair("CO-ANT", "health")! == (1, 1, nil))  // n2; Clinica Norte states no capacity
        #expect(pair("CO-DC", "safe_shelter")! == (1, 0, nil))  // Refugio Sur is inactive
        #expect(pair("CO-ANT", "disability") == nil)  // no open need it serves
        // 2 areas: CO-ANT 12 services with demand, CO-DC 3 (legal_assistance, safe_shelter, other).
        #expect(table.rows.count == 15)
    }

    @Test("outcomes: per provider and service, shares by result and reason, times to accept and complete")
    func outcomes() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        _ = try GapFixture(on: db)
        let table = try run(.outcomes, organisation: nil, on: db)
        #expect(table.dimensions == ["provider", "service"])
        #expect(table.rows.count == 3)
        let shelter = table.row("Casa Segura", "safe_shelter")
        #expect(Self.counts(shelter, GapsStore.outcomeMeasures) == [2, 2, 0, 2, 1, 1, 0, 0])
        #expect(shelter?.counts["unsuccessful/lack_of_capacity"]?.count == 1)
        #expect(shelter?.figures["median_hours_to_accept"] == 24)
        #expect(shelter?.figures["median_hours_to_complete"] == 228)
        #expect(abs((shelter?.figures["p90_hours_to_complete"] ?? 0) - 237.6) < 1e-9)
        let legal = table.row("Casa Segura", "legal_assistance")
        #expect(Self.counts(legal, GapsStore.outcomeMeasures) == [2, 0, 1, 0, 0, 0, 0, 1])
        #expect(legal?.counts["declined/no_capacity"]?.count == 1)
        #expect(legal?.figures["median_hours_to_accept"] == nil)
        #expect(
            Self.counts(table.row("Clinica Norte", "health"), GapsStore.outcomeMeasures) == [1, 0, 0, 0, 0, 0, 0, 1])
        #expect(
            table.measures.contains("declined/no_capacity") && table.measures.contains("unsuccessful/lack_of_capacity"))
    }

    @Test("a dimension that means nothing for a kind, or a malformed area, is refused with its name")
    func refusals() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        #expect(throws: StoreError.self) { try run(.unmet, by: [.service], organisation: nil, on: db) }
        #expect(throws: StoreError.self) { try run(.coverage, by: [.provider], organisation: nil, on: db) }
        #expect(throws: StoreError.self) { try run(.unmet, organisation: nil, area: "co-ant'; --", on: db) }
    }
}
