import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres

/// What the referral and provider service tests start from, made straight in the store: two
/// organisations with a case each (ngo-a's adult with an urgent legal need, and a child with an
/// emergency need), a clinic offering legal assistance and health in Antioquia, and accounts.
struct ReferralWorld {
    let adultCase: Int64
    let childCase: Int64
    let otherCase: Int64
    let legalNeed: Int64
    let childNeed: Int64
    let clinicProvider: Int64

    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("amina", .caseworker, "ngo-a"), ("sam", .supervisor, "ngo-a"), ("adm", .admin, "ngo-a"),
        ("bo", .caseworker, "ngo-b"), ("cleo", .caseworker, "clinic"),
    ]

    /// `recordPerson`: the store of the build under test records Ana's identifiers and the clinic
    /// (false for a world written at an older schema: the clinic goes in with that schema's SQL,
    /// and the test seals Ana's identifiers with it).
    static func make(on pool: PostgresPool, recordPerson: Bool = true) async throws -> ReferralWorld {
        try await pool.transaction { db in
            let cases = CaseStore()
            let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: db)
            let ngoB = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
            func newCase(_ json: String, _ organisation: Int64) throws -> Int64 {
                try cases.create(
                    try CaseFacts.decode(jsonLine: json), organisation: organisation, caseworker: "amina", on: db
                ).id
            }
            let provider = try recordPerson ? ProviderStore().add(
                name: "clinic", services: ["legal_assistance", "health"], areas: ["CO-ANT"],
                capacity: 10, on: db).provider.id : olderSchemaProvider(on: db)
            let adult = try newCase(
                #"{"ref":"adult","age":34,"sex":"female","nationality":"VE","current_country":"CO"}"#, ngoA)
            let child = try newCase(
                #"{"ref":"child","age":15,"sex":"male","nationality":"VE","current_country":"CO"}"#, ngoA)
            let other = try newCase(#"{"ref":"other","age":40,"nationality":"VE","current_country":"CO"}"#, ngoB)
            let needs = NeedStore()
            let legal = try needs.add(
                caseID: adult, code: "LP-ND", priority: "urgent", note: nil, organisation: ngoA, identifiedBy: "amina",
                on: db)
            let childNeed = try needs.add(
                caseID: child, code: "SM", priority: "emergency", note: nil, organisation: ngoA,
                identifiedBy: "amina", on: db)
            if recordPerson {
                try PersonStore(key: ServiceFixture.personalDataKey).record(
                    PersonalIdentifiers(names: ["Ana"], phone: "+57 300"),
                    caseID: adult, organisation: ngoA, on: db)
            }
            return ReferralWorld(
                adultCase: adult, childCase: child, otherCase: other, legalNeed: legal.id, childNeed: childNeed.id,
                clinicProvider: provider)
        }
    }

    /// The clinic as schema 15 held it, in that schema's SQL: this build's ProviderStore writes
    /// columns later migrations added (0021's capacity_stated_at).
    private static func olderSchemaProvider(on db: PostgresConnection) throws -> Int64 {
        let clinic = try OrganisationStore.id(named: "clinic", create: true, on: db)
        let id = try db.query("INSERT INTO providers (organisation_id, capacity) VALUES (\(clinic), 10) RETURNING id")[0]
            .decode(Int64.self)
        try db.execute(
            "INSERT INTO provider_services (provider_id, service) SELECT \(id), unnest(\(["legal_assistance", "health"])::text[])")
        try db.execute("INSERT INTO provider_areas (provider_id, area) VALUES (\(id), 'CO-ANT')")
        return id
    }

    /// The adult's legal need to the clinic, urgent, with consent.
    func referral(key: String? = nil, consented: Bool = true, override: String? = nil) -> NewReferral {
        NewReferral(
            caseID: adultCase, needID: legalNeed, providerID: clinicProvider, priority: .urgent, consented: consented,
            override: override, idempotencyKey: key)
    }
}
