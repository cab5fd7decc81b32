import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The release dimension `referral_response` (Docs/referrals.md "Answered in time"): the true
/// counts a release is published from, exactly, for referrals answered in time, late, after the
/// boundary and never, as the statistics roles count them (each role reads the three times it
/// needs, Schema/0025), and the next release, where the answer given after the boundary counts.
@Suite("Statistics: referral_response as of the release boundary")
struct ReferralResponseDimensionTests {
    /// (service, status, answer, count): sizes all different, so a referral counted in the wrong
    /// cell changes an exact count.
    static let groups: [(String, String, FixtureAnswer, Int)] = [
        ("health", "completed", .inTime, 11),
        ("health", "declined", .inTime, 7),
        ("health", "accepted", .late, 13),
        ("health", "declined", .late, 5),
        ("health", "cancelled", .late, 2),
        ("health", "pending", .never, 9),
        ("health", "cancelled", .never, 4),
        ("health", "accepted", .afterBoundary, 6),
        ("legal_assistance", "completed", .inTime, 8),
        ("legal_assistance", "declined", .afterBoundary, 3),
    ]

    static func populate(on db: PostgresConnection) throws {
        for (index, (service, status, answer, count)) in groups.enumerated() {
            let cases = try StatisticsFixtures.insert(
                Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: count), refPrefix: "rr\(index)",
                on: db)
            try StatisticsFixtures.answeredReferrals(
                cases: cases, code: service == "health" ? "SM" : "LP-ND", service: service, status: status,
                answer: answer, on: db)
        }
    }

    /// The true counts by the request's dimensions, as the release would publish them from.
    static func trueCounts(_ store: StatisticsStore, by: String, organisation: Int64? = nil, on db: PostgresConnection)
        throws -> [[String]: Int]
    {
        let counted = try db.transaction { connection in
            try store.count(StatisticsRequest(of: "referrals", by: by), organisation: organisation, on: connection)
        }
        return Dictionary(uniqueKeysWithValues: counted.cells.map { ($0.values, $0.count) })
    }

    @Test("in time, late, never: an answer after the boundary is not one yet; the next release counts it")
    func answeredInTime() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        try Self.populate(on: db)
        let provider = try db.query("SELECT id FROM organisations WHERE name = 'fixture-provider'")[0].decode(
            Int64.self)
        for scope in [nil, Optional(provider)] {
            let counts = try Self.trueCounts(
                StatisticsStore(), by: "service,referral_response", organisation: scope, on: db)
            #expect(
                counts == [
                    ["health", "in_time"]: 11 + 7, ["health", "late"]: 13 + 5 + 2, ["health", "none"]: 9 + 4 + 6,
                    ["legal_assistance", "in_time"]: 8, ["legal_assistance", "none"]: 3,
                ], "scope \(String(describing: scope))")
        }
        // With the status as of the boundary: an answer after it leaves the referral pending,
        // a withdrawal before any answer is cancelled and not answered, one after an answer is late.
        let detail = try Self.trueCounts(StatisticsStore(), by: "service,referral_response,referral_status", on: db)
        #expect(detail[["health", "none", "pending"]] == 9 + 6)
        #expect(detail[["health", "none", "cancelled"]] == 4)
        #expect(detail[["health", "late", "cancelled"]] == 2)
        #expect(detail[["legal_assistance", "none", "pending"]] == 3)
        #expect(detail[["health", "in_time", "declined"]] == 7)

        // The next release: the answers given an hour after this boundary are in time.
        let next = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        let later = try Self.trueCounts(next, by: "service,referral_response", on: db)
        #expect(later[["health", "in_time"]] == 11 + 7 + 6)
        #expect(later[["health", "none"]] == 9 + 4)
        #expect(later[["legal_assistance", "in_time"]] == 8 + 3)
        #expect(later[["legal_assistance", "none"]] == nil)
    }

    @Test("the next release applies the threshold-update rule to the answer cells: a move below k keeps its value")
    func nextReleaseHoldsSmallMoves() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        try Self.populate(on: db)
        let request = try StatisticsRequest(of: "referrals", by: "service,referral_response")
        let published = { (store: StatisticsStore) throws -> [[String]: Int?] in
            let export = try store.export(request, organisation: nil, actor: "ana", source: "test", on: db)
            return Dictionary(uniqueKeysWithValues: export.table.cells.map { ($0.values, $0.value) })
        }
        let first = try published(StatisticsStore())
        let next = try published(
            StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) }))
        // legal_assistance: in time 8 → 11, none 3 → 0 (moves of 3, below k = 5): held exactly,
        // so the three answers given after the boundary cannot be told from the two releases.
        #expect(first[["legal_assistance", "in_time"]] != nil)
        #expect(next[["legal_assistance", "in_time"]] == first[["legal_assistance", "in_time"]])
        #expect(first[["legal_assistance", "none"]] == .some(nil) && next[["legal_assistance", "none"]] == .some(nil))
        // health: in time 18 → 24 and none 19 → 13 (moves of 6): published afresh, near the truth.
        let inTime = try #require(next[["health", "in_time"]] ?? nil)
        #expect(abs(inTime - 24) <= 3)
        let none = try #require(next[["health", "none"]] ?? nil)
        #expect(abs(none - 13) <= 3)
    }

    @Test("referral_response counts referrals only; the statistics roles read the three times and no more")
    func unitAndPrivileges() async throws {
        #expect(throws: StoreError.self) { _ = try StatisticsRequest(of: "cases", by: "referral_response") }
        #expect(try StatisticsRequest(by: "referral_response").unit == .referrals)
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        for role in ["passage_statistics", "passage_statistics_scoped"] {
            for column in ["due_at", "accepted_at", "closed_at"] {
                #expect(
                    try db.query("SELECT has_column_privilege(\(role), 'referrals', \(column), 'SELECT')")[0]
                        .decode(Bool.self), "\(role) \(column)")
            }
            for column in ["reason", "consent_override_reason", "idempotency_key", "created_by"] {
                #expect(
                    try !db.query("SELECT has_column_privilege(\(role), 'referrals', \(column), 'SELECT')")[0]
                        .decode(Bool.self), "\(role) \(column)")
            }
        }
    }
}
