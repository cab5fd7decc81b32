import Foundation
import PassageCore
import PassageStore
import Postgres

/// Cases for statistics tests, written straight into `cases` (the counting columns are generated
/// from the facts), many per statement.
public struct FixtureCase: Sendable {
    public var category: String
    public var origin: String
    public var sex: String
    public var age: Int
    public var area: String

    public init(category: String, origin: String, sex: String = "female", age: Int = 30, area: String = "CO-ANT") {
        self.category = category
        self.origin = origin
        self.sex = sex
        self.age = age
        self.area = area
    }
}

public enum StatisticsFixtures {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Mid-month of the previous month: counted by an export taken now.
    public static var lastMonth: Date {
        let thisMonth = ReleasePeriod.month.cutoff(at: Date())
        return utc.date(byAdding: .day, value: -15, to: thisMonth)!
    }

    /// Inserts the cases (recorded at `at`) and returns their ids.
    @discardableResult
    public static func insert(
        _ cases: [FixtureCase], organisation: Int64 = 1, at: Date = lastMonth, refPrefix: String = "s",
        on connection: PostgresConnection
    ) throws -> [Int64] {
        guard !cases.isEmpty else { return [] }
        let refs = (0..<cases.count).map { "\(refPrefix)-\(UUID().uuidString.prefix(8))-\($0)" }
        let rows = try connection.query(
            """
            INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                               primary_category, categories, review, created_at)
            SELECT \(organisation), f.ref, 'fixture',
                   jsonb_build_object('sex', f.sex, 'age', f.age, 'nationality', f.origin, 'current_country', left(f.area, 2), 'current_area', f.area),
                   '{}'::json, 'fixture', 'fixture', f.category, ARRAY[f.category], false, \(at)
              FROM unnest(\(refs), \(cases.map(\.category)), \(cases.map(\.origin)), \(cases.map(\.sex)), \(cases.map(\.age)), \(cases.map(\.area)))
                   AS f(ref, category, origin, sex, age, area)
            RETURNING id
            """)
        return try rows.map { try $0.decode(Int64.self) }
    }

    /// A need of each case, and a referral of each need to one provider with the given status.
    public static func needsAndReferrals(
        cases: [Int64], code: String, service: String, status: String, organisation: Int64 = 1,
        on connection: PostgresConnection
    ) throws {
        try connection.execute(
            """
            INSERT INTO organisations (name) VALUES ('fixture-provider') ON CONFLICT (name) DO NOTHING
            """)
        try connection.execute(
            """
            INSERT INTO providers (organisation_id) SELECT id FROM organisations WHERE name = 'fixture-provider' ON CONFLICT DO NOTHING
            """)
        try connection.execute(
            """
            WITH new_needs AS (
                INSERT INTO needs (case_id, organisation_id, code, priority, identified_by, identified_at)
                SELECT id, \(organisation), \(code), 'normal', 'fixture', \(lastMonth) FROM unnest(\(cases.map(Int.init))) AS c(id)
                RETURNING id, case_id)
            INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                                   priority, status, outcome, consent, created_by, created_at, due_at)
            SELECT n.case_id, n.id, p.id, \(service), \(organisation), p.organisation_id, 'normal', \(status),
                   CASE WHEN \(status) = 'completed' THEN 'successful' END, true, 'fixture', \(lastMonth), \(lastMonth)
              FROM new_needs n, providers p JOIN organisations o ON o.id = p.organisation_id AND o.name = 'fixture-provider'
            """)
    }
}
