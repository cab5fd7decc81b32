import Foundation
import PassageCore
import Postgres

/// Referrals: making them (`REFER`), moving them through the lifecycle (`REFERRAL SET`) and
/// reading them from either side. The lifecycle itself is decided in PassageCore
/// (`ReferralLifecycle`); this type only loads the state, asks, and writes the answer with its
/// event row, inside the caller's transaction (which also holds the audit entry).
public struct ReferralStore: Sendable {
    let key: PIIKey

    /// `key` decrypts the contact details a consenting person's referral shows.
    public init(key: PIIKey) { self.key = key }

    /// Makes a referral of one need of a case of `organisation` to a provider, or returns the
    /// referral an earlier request with the same idempotency key made. The consent gate is the
    /// caller's `ReferralConsent`: a referral without consent exists only as a supervisor's
    /// override.
    public func refer(_ order: ReferralOrder, organisation: Int64, actor: String,
                      on connection: PostgresConnection) throws -> ReferralMade {
        let facts = try ReferralFacts.load(order, organisation: organisation, on: connection)
        if let earlier = facts.earlier {
            return try repeated(earlier, order: order)
        }
        let (service, caregiverInformed) = try facts.check(order)
        // A referral is as urgent as its need unless the referrer says otherwise.
        let priority = order.priority ?? facts.needPriority ?? "normal"
        let due: Date
        do {
            due = Self.date(try facts.responseTimes.due(priority: priority, createdAt: Self.duration(facts.now)))
        } catch {
            throw StoreError.invalid(error.description)
        }
        let (overrideBy, overrideReason): (String?, String?) = switch order.consent {
        case .given: (nil, nil)
        case .overridden(let supervisor, let reason): (supervisor, reason)
        }
        let consent = order.consent == .given
        let rows = try connection.query("""
            WITH made AS (
                INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                                       priority, consent, consent_override_by, consent_override_reason, caregiver_informed,
                                       idempotency_key, created_by, due_at)
                VALUES (\(order.caseID), \(order.needID), \(order.providerID), \(service), \(organisation), \(facts.receivingOrganisation),
                        \(priority), \(consent), \(overrideBy), \(overrideReason), \(caregiverInformed),
                        \(order.idempotencyKey), \(actor), \(due))
                ON CONFLICT (referring_organisation_id, idempotency_key) DO NOTHING
                RETURNING id, created_at, due_at, version),
            event AS (
                INSERT INTO referral_events (referral_id, at, actor, from_status, to_status, note)
                SELECT id, created_at, \(actor), NULL, 'pending', \(order.note) FROM made)
            SELECT id, due_at, version FROM made
            """)
        guard let row = rows.first else {
            // A concurrent request with the same key committed first (the insert waited for it,
            // then did nothing): this statement sees its row, and returns it.
            let again = try connection.query("""
                SELECT \(ReferralFacts.earlierColumns) FROM referrals
                 WHERE referring_organisation_id = \(organisation) AND idempotency_key = \(order.idempotencyKey)
                """)
            guard let first = again.first else { throw StoreError.conflict("idempotency key \(order.idempotencyKey ?? "") is in use; retry") }
            return try repeated(try ReferralFacts.Earlier(row: first, at: 0), order: order)
        }
        return ReferralMade(id: try row.decode(Int64.self, at: 0), status: .pending, priority: priority, dueAt: try row.decode(Date.self, at: 1),
                            version: try row.decode(Int.self, at: 2), created: true)
    }

    /// A retry returns the first referral, provided it asked for the same thing: a key reused
    /// for a different referral is a client bug that must not be papered over.
    private func repeated(_ earlier: ReferralFacts.Earlier, order: ReferralOrder) throws -> ReferralMade {
        guard earlier.caseID == order.caseID, earlier.needID == order.needID, earlier.providerID == order.providerID else {
            throw StoreError.conflict("idempotency key \(order.idempotencyKey ?? "") was already used for referral \(earlier.id) of another case, need or provider")
        }
        return ReferralMade(id: earlier.id, status: earlier.status, priority: earlier.priority, dueAt: earlier.dueAt, version: earlier.version, created: false)
    }

    static func duration(_ date: Date) -> Duration {
        .microseconds(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    static func date(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
