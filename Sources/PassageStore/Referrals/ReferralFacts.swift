import Foundation
import PassageCore
import Postgres

/// Everything `REFER` must know before it may insert, read in one statement: the case (and the
/// person's age), the need, the provider and which of its services serve the need, the response
/// times, the transaction's clock, and any referral the idempotency key already made.
struct ReferralFacts {
    struct Earlier {
        let id: Int64
        let caseID: Int64
        let needID: Int64
        let providerID: Int64
        let status: ReferralStatus
        let priority: String
        let dueAt: Date
        let version: Int

        init(row: PostgresRow, at start: Int) throws {
            id = try row.decode(Int64.self, at: start)
            caseID = try row.decode(Int64.self, at: start + 1)
            needID = try row.decode(Int64.self, at: start + 2)
            providerID = try row.decode(Int64.self, at: start + 3)
            status = ReferralStatus(rawValue: try row.decode(String.self, at: start + 4)) ?? .pending
            dueAt = try row.decode(Date.self, at: start + 5)
            version = try row.decode(Int.self, at: start + 6)
            priority = try row.decode(String.self, at: start + 7)
        }
    }

    static let earlierColumns = SQLFragment("id, case_id, need_id, provider_id, status, due_at, version, priority")

    let now: Date
    let caseFound: Bool
    let age: Int?
    let needCaseID: Int64?
    let needCode: String?
    let needStatus: String?
    let needPriority: String?
    let providerName: String?
    let receivingOrganisation: Int64
    let providerStatus: String?
    let minimumAge: Int?
    let maximumAge: Int?
    let servicesForNeed: [String]
    let allServices: [String]
    let responseTimes: ReferralResponseTimes
    let earlier: Earlier?
    /// An open referral of the same need to the same provider, which a new one would duplicate.
    let openReferral: Int64?

    static func load(_ order: ReferralOrder, organisation: Int64, on connection: PostgresConnection) throws -> ReferralFacts {
        let rows = try connection.query("""
            SELECT now(), c.id, (c.facts ->> 'age')::integer,
                   n.case_id, n.code, n.status, n.priority,
                   o.name, p.organisation_id, p.status, p.minimum_age, p.maximum_age,
                   coalesce((SELECT array_agg(s.service ORDER BY s.service) FROM provider_services s
                               JOIN service_type_needs m ON m.service = s.service
                              WHERE s.provider_id = p.id AND m.need = split_part(n.code, '-', 1)), '{}'),
                   coalesce((SELECT array_agg(s.service ORDER BY s.service) FROM provider_services s WHERE s.provider_id = p.id), '{}'),
                   (SELECT array_agg(priority ORDER BY rank) FROM referral_priorities),
                   (SELECT array_agg(((extract(epoch FROM response_time) * 1000000)::bigint)::text ORDER BY rank) FROM referral_priorities),
                   e.id, e.case_id, e.need_id, e.provider_id, e.status, e.due_at, e.version, e.priority,
                   (SELECT min(d.id) FROM referrals d WHERE d.need_id = n.id AND d.provider_id = p.id AND d.status IN ('pending', 'accepted'))
              FROM (SELECT 1) AS one
              LEFT JOIN cases c ON c.id = \(order.caseID) AND c.organisation_id = \(organisation)
              LEFT JOIN needs n ON n.id = \(order.needID) AND n.organisation_id = \(organisation)
              LEFT JOIN providers p ON p.id = \(order.providerID)
              LEFT JOIN organisations o ON o.id = p.organisation_id
              LEFT JOIN referrals e ON e.referring_organisation_id = \(organisation) AND e.idempotency_key = \(order.idempotencyKey)
            """)
        let row = rows[0]
        let priorities = try row.decode([String].self, at: 14)
        let microseconds = try row.decode([String].self, at: 15).map { Int64($0) ?? 0 }
        return ReferralFacts(
            now: try row.decode(Date.self, at: 0), caseFound: !row.isNull(at: 1), age: try row.decode(Int?.self, at: 2),
            needCaseID: try row.decode(Int64?.self, at: 3), needCode: try row.decode(String?.self, at: 4),
            needStatus: try row.decode(String?.self, at: 5), needPriority: try row.decode(String?.self, at: 6), providerName: try row.decode(String?.self, at: 7),
            receivingOrganisation: try row.decode(Int64?.self, at: 8) ?? 0, providerStatus: try row.decode(String?.self, at: 9),
            minimumAge: try row.decode(Int?.self, at: 10), maximumAge: try row.decode(Int?.self, at: 11),
            servicesForNeed: try row.decode([String].self, at: 12), allServices: try row.decode([String].self, at: 13),
            responseTimes: ReferralResponseTimes(Dictionary(uniqueKeysWithValues: zip(priorities, microseconds.map { Duration.microseconds($0) }))),
            earlier: row.isNull(at: 16) ? nil : try Earlier(row: row, at: 16),
            openReferral: try row.decode(Int64?.self, at: 24))
    }

    /// Refuses a referral the directory or the case cannot support; returns the service to
    /// refer to and the caregiver-informed value to record.
    func check(_ order: ReferralOrder) throws -> (service: String, caregiverInformed: Bool?) {
        guard caseFound else { throw StoreError.notFound("case \(order.caseID)") }
        guard let needCode, needCaseID == order.caseID else { throw StoreError.notFound("need \(order.needID) of case \(order.caseID)") }
        guard let providerName else { throw StoreError.notFound("provider \(order.providerID)") }
        guard needStatus == NeedStatus.open.rawValue else {
            throw StoreError.conflict("need \(order.needID) is \(needStatus ?? "closed"); reopen it (NEED SET \(order.needID) open) before referring it")
        }
        guard providerStatus == "active" else {
            throw StoreError.invalid(argument: "provider", message: "provider \(providerName) (provider \(order.providerID)) is \(providerStatus ?? "inactive") and takes no referrals")
        }
        guard let first = servicesForNeed.first else {
            let offers = allServices.isEmpty ? "no services" : allServices.joined(separator: ", ")
            throw StoreError.invalid(argument: "provider", message: "provider \(providerName) offers no service for need \(needCode) (it offers \(offers))")
        }
        var service = first
        if let wanted = order.service {
            guard servicesForNeed.contains(wanted) else {
                throw StoreError.invalid(argument: "service", message: "service \(wanted) is not one \(providerName) offers for need \(needCode) (choose from \(servicesForNeed.joined(separator: ", ")))")
            }
            service = wanted
        }
        if let age {
            if let minimumAge, age < minimumAge { throw ageRefusal(age, providerName) }
            if let maximumAge, age > maximumAge { throw ageRefusal(age, providerName) }
        }
        var caregiverInformed = order.caregiverInformed
        if let age {
            if age < 18 {
                guard caregiverInformed != nil else {
                    throw StoreError.invalid(argument: "caregiver", message: "caregiver=yes or caregiver=no is required: the person is \(age), under 18 (was their caregiver informed?)")
                }
            } else {
                // Recorded only for children (the column's rule); an adult's answer is not kept.
                caregiverInformed = nil
            }
        }
        if let openReferral {
            throw StoreError.conflict("need \(order.needID) is already referred to \(providerName) (referral \(openReferral), still open); use it, or cancel it first")
        }
        return (service, caregiverInformed)
    }

    private func ageRefusal(_ age: Int, _ name: String) -> StoreError {
        .invalid(argument: "provider", message: "provider \(name) serves ages \(minimumAge.map(String.init) ?? "0") to \(maximumAge.map(String.init) ?? "any"); the person is \(age)")
    }
}
