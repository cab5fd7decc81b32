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

    /// `recordPerson`: the store of the build under test records Ana's identifiers (false for a
    /// world written at an older schema, whose test seals them with that schema's SQL).
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
            let (provider, _) = try ProviderStore().add(
                name: "clinic", services: ["legal_assistance", "health"], areas: ["CO-ANT"],
                capacity: 10, on: db)
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
                clinicProvider: provider.id)
        }
    }

    /// The adult's legal need to the clinic, urgent, with consent.
    func referral(key: String? = nil, consented: Bool = true, override: String? = nil) -> NewReferral {
        NewReferral(
            caseID: adultCase, needID: legalNeed, providerID: clinicProvider, priority: .urgent, consented: consented,
            override: override, idempotencyKey: key)
    }
}
