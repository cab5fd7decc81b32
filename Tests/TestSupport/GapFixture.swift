import Foundation
import PassageCore
import PassageStore
import Postgres

/// A small hand-built world for the gap queries (Docs/gaps.md works it through). `now` is fixed;
/// every time is given as days (or hours) before it.
///
/// Organisations A (the analyst's) and B. Providers: Casa Segura (active; CO-ANT; legal_assistance,
/// safe_shelter; capacity 1), Clinica Norte (active; CO-ANT; health; no stated capacity),
/// Refugio Sur (inactive; CO-DC; safe_shelter).
///
/// | need | case (org, area)   | code  | status    | identified | referrals |
/// |------|--------------------|-------|-----------|------------|-----------|
/// | n1   | c1 (A, CO-ANT)     | LP-ND | open      | 30 d ago   | r1 Casa Segura legal_assistance: declined no_capacity |
/// | n2   | c1 (A, CO-ANT)     | SM    | open      | 20 d ago   | r2 Clinica Norte health normal: pending, due 5 d ago |
/// | n3   | c2 (A, CO-ANT)     | SV-VA | met       | 60 d ago   | r3 Casa Segura safe_shelter: accepted after 24 h, completed successfully after 240 h |
/// | n4   | c2 (A, CO-ANT)     | WR    | open      | 3 d ago    | — |
/// | n5   | c3 (A, CO-DC)      | LP    | open      | 10 d ago   | — |
/// | n6   | c3 (A, CO-DC)      | SM    | withdrawn | 40 d ago   | — |
/// | n7   | c4 (B, CO-ANT)     | CR    | open      | 15 d ago   | r4 Casa Segura safe_shelter urgent: accepted after 24 h, completed unsuccessfully (lack_of_capacity) after 216 h |
/// | n8   | c4 (B, CO-ANT)     | FU    | open      | 20 d ago   | r5 Casa Segura legal_assistance emergency: pending, due 3 d ago |
public struct GapFixture {
    public static let now = Date(timeIntervalSince1970: 1_780_272_000)  // 2026-06-01 00:00 UTC
    public let organisationA: Int64
    public let organisationB: Int64
    public var providers: [String: Int64] = [:]
    public var needs: [String: Int64] = [:]
    public var cases: [String: Int64] = [:]

    public static func ago(days: Double = 0, hours: Double = 0) -> Date {
        now.addingTimeInterval(-(days * 86_400 + hours * 3_600))
    }

    public init(on db: PostgresConnection) throws {
        organisationA = try OrganisationStore.id(named: "ngo-a", create: true, on: db)
        organisationB = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
        providers["Casa Segura"] = try Self.provider(
            "Casa Segura", status: "active", capacity: 1, areas: ["CO-ANT"],
            services: ["legal_assistance", "safe_shelter"], on: db)
        providers["Clinica Norte"] = try Self.provider(
            "Clinica Norte", status: "active", capacity: nil, areas: ["CO-ANT"],
            services: ["health"], on: db)
        providers["Refugio Sur"] = try Self.provider(
            "Refugio Sur", status: "inactive", capacity: 3, areas: ["CO-DC"],
            services: ["safe_shelter"], on: db)
        cases["c1"] = try Self.refugeeCase("c1", organisation: organisationA, area: "CO-ANT", sex: "female", on: db)
        cases["c2"] = try Self.refugeeCase("c2", organisation: organisationA, area: "CO-ANT", sex: "male", on: db)
        cases["c3"] = try Self.refugeeCase("c3", organisation: organisationA, area: "CO-DC", sex: "female", on: db)
        cases["c4"] = try Self.refugeeCase("c4", organisation: organisationB, area: "CO-ANT", sex: "female", on: db)
        needs["n1"] = try need("c1", "LP-ND", status: "open", identified: Self.ago(days: 30), on: db)
        needs["n2"] = try need("c1", "SM", status: "open", identified: Self.ago(days: 20), on: db)
        needs["n3"] = try need("c2", "SV-VA", status: "met", identified: Self.ago(days: 60), on: db)
        needs["n4"] = try need("c2", "WR", status: "open", identified: Self.ago(days: 3), on: db)
        needs["n5"] = try need("c3", "LP", status: "open", identified: Self.ago(days: 10), on: db)
        needs["n6"] = try need("c3", "SM", status: "withdrawn", identified: Self.ago(days: 40), on: db)
        needs["n7"] = try need("c4", "CR", status: "open", identified: Self.ago(days: 15), on: db)
        needs["n8"] = try need("c4", "FU", status: "open", identified: Self.ago(days: 20), on: db)
        try referral(
            "n1", "Casa Segura", "legal_assistance", priority: "normal", status: "declined", reason: "no_capacity",
            created: Self.ago(days: 29), accepted: nil, closed: Self.ago(days: 28), on: db)
        try referral(
            "n2", "Clinica Norte", "health", priority: "normal", status: "pending",
            created: Self.ago(days: 19), accepted: nil, closed: nil, on: db)
        try referral(
            "n3", "Casa Segura", "safe_shelter", priority: "normal", status: "completed", outcome: "successful",
            created: Self.ago(days: 60), accepted: Self.ago(days: 59), closed: Self.ago(days: 50), on: db)
        try referral(
            "n7", "Casa Segura", "safe_shelter", priority: "urgent", status: "completed", outcome: "unsuccessful",
            reason: "lack_of_capacity", created: Self.ago(days: 14), accepted: Self.ago(days: 13),
            closed: Self.ago(days: 5), on: db)
        try referral(
            "n8", "Casa Segura", "legal_assistance", priority: "emergency", status: "pending",
            created: Self.ago(days: 4), accepted: nil, closed: nil, on: db)
    }

    public static func provider(
        _ name: String, status: String, capacity: Int?, areas: [String], services: [String],
        on db: PostgresConnection
    ) throws -> Int64 {
        let organisation = try OrganisationStore.id(named: name, create: true, on: db)
        let id = try db.query(
            """
            INSERT INTO providers (organisation_id, status, capacity) VALUES (\(organisation), \(status), \(capacity.map { Int32($0) }))
            RETURNING id
            """)[0].decode(Int64.self)
        for area in areas { try db.execute("INSERT INTO provider_areas (provider_id, area) VALUES (\(id), \(area))") }
        for service in services {
            try db.execute("INSERT INTO provider_services (provider_id, service) VALUES (\(id), \(service))")
        }
        return id
    }

    public static func refugeeCase(
        _ ref: String, organisation: Int64, area: String, sex: String, on db: PostgresConnection
    ) throws -> Int64 {
        let facts = try CaseFacts.decode(
            jsonLine:
                #"{"ref":"\#(ref)","age":30,"sex":"\#(sex)","nationality":"VE","current_country":"CO","current_area":"\#(area)","crossed_border":true,"left_home":true,"forced":true,"causes":["generalized_violence"],"asylum":"applied"}"#
        )
        return try CaseStore().create(facts, organisation: organisation, caseworker: "cw", on: db).id
    }

    public func need(_ caseName: String, _ code: String, status: String, identified: Date, on db: PostgresConnection)
        throws -> Int64
    {
        let caseID = cases[caseName]!
        return try db.query(
            """
            INSERT INTO needs (case_id, organisation_id, code, priority, status, identified_by, identified_at)
            SELECT id, organisation_id, \(code), 'normal', \(status), 'cw', \(identified) FROM cases WHERE id = \(caseID)
            RETURNING id
            """)[0].decode(Int64.self)
    }

    public func referral(
        _ needName: String, _ providerName: String, _ service: String, priority: String, status: String,
        outcome: String? = nil, reason: String? = nil, created: Date, accepted: Date?, closed: Date?,
        on db: PostgresConnection
    ) throws {
        let response: Double = ["emergency": 1, "urgent": 3, "normal": 14][priority]!
        try db.execute(
            """
            INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                                   priority, status, outcome, reason, consent, created_by, created_at, due_at, accepted_at, closed_at)
            SELECT n.case_id, n.id, p.id, \(service), n.organisation_id, p.organisation_id, \(priority), \(status), \(outcome),
                   \(reason), true, 'cw', \(created), \(created.addingTimeInterval(response * 86_400)), \(accepted), \(closed)
            FROM needs n, providers p WHERE n.id = \(needs[needName]!) AND p.id = \(providers[providerName]!)
            """)
    }
}
