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

        /// Reads `earlierColumns` from column `start` on.
        init(row: PostgresRow, at start: Int) throws {
            let status: String
            (id, caseID, needID, providerID, status, dueAt, version, priority) =
                try row.decode((Int64, Int64, Int64, Int64, String, Date, Int, String).self, startingAt: start)
            self.status = ReferralStatus(rawValue: status) ?? .pending
        }
    }

    static let earlierColumns = SQLFragment("id, case_id, need_id, provider_id, status, due_at, version, priority")

    let now: Date
    /// What the eligibility rules (PassageCore's `ReferralEligibility`) decide on.
    let candidate: ReferralCandidate
    let receivingOrganisation: Int64
    let responseTimes: ReferralResponseTimes
    let earlier: Earlier?

    static func load(_ order: ReferralOrder, organisation: Int64, on connection: PostgresConnection) throws
        -> ReferralFacts
    {
        let rows = try connection.query(
            """
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
        // The row: the facts (columns 0–15), the earlier referral (16–23, NULL when none), the open duplicate (24).
        let row = rows[0]
        let (
            now, caseID, age, needCaseID, needCode, needStatus, needPriority, providerName, receivingOrganisation,
            providerStatus, minimumAge, maximumAge, servicesForNeed, allServices, priorities, microsecondTexts
        ) =
            try row.decode(
                (
                    Date, Int64?, Int?, Int64?, String?, String?, String?, String?, Int64?, String?, Int?, Int?,
                    [String], [String], [String], [String]
                ).self, startingAt: 0)
        let microseconds = microsecondTexts.map { Int64($0) ?? 0 }
        let need = needCode.map { code in
            ReferralCandidate.Need(
                caseID: needCaseID ?? 0, code: code, status: needStatus ?? "closed", priority: needPriority ?? "normal")
        }
        let provider = providerName.map { name in
            ReferralCandidate.Provider(
                name: name, status: providerStatus ?? "inactive", minimumAge: minimumAge, maximumAge: maximumAge,
                servicesForNeed: servicesForNeed, allServices: allServices)
        }
        let hasEarlier = try row.decode(Int64?.self, startingAt: 16) != nil
        return ReferralFacts(
            now: now,
            candidate: ReferralCandidate(
                caseFound: caseID != nil, age: age, need: need,
                provider: provider, openReferral: try row.decode(Int64?.self, startingAt: 24)),
            receivingOrganisation: receivingOrganisation ?? 0,
            responseTimes: ReferralResponseTimes(
                Dictionary(uniqueKeysWithValues: zip(priorities, microseconds.map { Duration.microseconds($0) }))),
            earlier: hasEarlier ? try Earlier(row: row, at: 16) : nil)
    }

    /// The eligibility rules (PassageCore) on these facts: the service, caregiver answer and
    /// priority of the referral, or the refusal as the store's error.
    func check(_ order: ReferralOrder) throws(StoreError) -> ReferralTerms {
        do {
            return try ReferralEligibility.decide(order, candidate)
        } catch {
            throw StoreError(error)
        }
    }
}
