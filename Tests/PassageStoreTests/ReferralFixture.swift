import Foundation
import PassageCore
import Postgres
import TestSupport

@testable import PassageStore

/// Two organisations with a case each, and a provider organisation offering legal assistance
/// and health in Antioquia: what the needs, providers and referrals tests start from.
struct ReferralFixture {
    let conninfo: String
    let ngoA: Int64
    let ngoB: Int64
    let clinic: Int64
    let clinicProvider: Int64
    let adultCase: Int64
    let childCase: Int64
    let otherCase: Int64
    let legalNeed: Int64
    let childNeed: Int64

    static let key = try! PIIKey(secret: "referral-store-test-key-of-forty-characters")
    let referrals = ReferralStore(key: ReferralFixture.key)
    let needs = NeedStore()
    let providers = ProviderStore()

    static func make(_ label: String = #function) async throws -> ReferralFixture {
        let conninfo = try await MigratedDatabase.conninfo(label)
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        let cases = CaseStore()
        func newCase(_ json: String, _ organisation: Int64) throws -> Int64 {
            try cases.create(
                try CaseFacts.decode(jsonLine: json), organisation: organisation, caseworker: "amina", on: db
            ).id
        }
        let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: db)
        let ngoB = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
        let (provider, _) = try ProviderStore().add(
            name: "clinic", services: ["legal_assistance", "health"], areas: ["CO-ANT"],
            capacity: 10, on: db)
        let clinic = try OrganisationStore.id(named: "clinic", create: false, on: db)
        let adult = try newCase(
            #"{"ref":"adult","age":34,"sex":"female","nationality":"VE","current_country":"CO"}"#, ngoA)
        let child = try newCase(
            #"{"ref":"child","age":15,"sex":"male","nationality":"VE","current_country":"CO"}"#, ngoA)
        let other = try newCase(#"{"ref":"other","age":40,"nationality":"VE","current_country":"CO"}"#, ngoB)
        let needs = NeedStore()
        let legal = try needs.add(
            caseID: adult, code: "LP-ND", priority: "urgent", note: "no documents", organisation: ngoA,
            identifiedBy: "amina", on: db)
        let childNeed = try needs.add(
            caseID: child, code: "SM", priority: "emergency", note: nil, organisation: ngoA,
            identifiedBy: "amina", on: db)
        return ReferralFixture(
            conninfo: conninfo, ngoA: ngoA, ngoB: ngoB, clinic: clinic, clinicProvider: provider.id,
            adultCase: adult, childCase: child, otherCase: other, legalNeed: legal.id, childNeed: childNeed.id)
    }

    func connect() throws -> PostgresConnection { try PostgresConnection.connect(conninfo) }

    func order(key: String? = nil, consent: ReferralConsent = .given) -> ReferralOrder {
        ReferralOrder(
            caseID: adultCase, needID: legalNeed, providerID: clinicProvider, priority: "urgent", consent: consent,
            idempotencyKey: key)
    }

    /// Runs `body` in a transaction scoped to `organisation`, as the console does.
    func scoped<T>(_ organisation: Int64, on db: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws
        -> T
    {
        try db.transaction { connection in
            try OrganisationScope.enter(organisation: organisation, on: connection)
            return try body(connection)
        }
    }
}
