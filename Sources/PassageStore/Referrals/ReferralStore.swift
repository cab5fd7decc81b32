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
    /// referral an earlier request with the same idempotency key made, and ends the caller's
    /// transaction: REFER's one path (`ReferralService.refer`). The consent gate is the caller's
    /// `ReferralConsent` (PassageCore's `ConsentGate`): a referral without consent exists only as
    /// a supervisor's override; the eligibility rules are PassageCore's `ReferralEligibility`.
    /// The look-up is one statement; the insert travels with its audit entries
    /// (`referral.create`, `referral.consent_override`, attributed to `actor` at `source`) and
    /// the COMMIT (`PostgresConnection.queryCommitting`): two round trips in all with the
    /// transaction's opening, and the audit chain's lock held only while the entries are
    /// appended and committed. A repeated key writes `referral.repeat` and commits with the
    /// caller's transaction. Nil when a concurrent request with the same idempotency key
    /// committed first: this transaction then committed nothing, and running it again returns
    /// that request's referral.
    public func refer(
        _ order: ReferralOrder, organisation: Int64, actor: String, source: String,
        on connection: PostgresConnection
    ) throws -> ReferralMade? {
        switch try decide(order, organisation: organisation, actor: actor, source: source, on: connection) {
        case .made(let made): return made
        case .insert(let insert, let priority, let audit):
            try audit.appendForTheInsertThatFollows(on: connection)
            return try Self.made(try connection.queryCommitting(insert), priority: priority)
        }
    }

    private enum Decision {
        /// The key's earlier referral (its `referral.repeat` entry queued for COMMIT).
        case made(ReferralMade)
        /// Insert with this statement, which returns the new referral's id, due time and version;
        /// then write these audit entries.
        case insert(PostgresQuery, priority: String, audit: ReferralCreationAudit)
    }

    /// Everything before the insert: the look-up (one statement), the checks, the due time.
    private func decide(
        _ order: ReferralOrder, organisation: Int64, actor: String, source: String,
        on connection: PostgresConnection
    ) throws -> Decision {
        let facts = try ReferralFacts.load(order, organisation: organisation, on: connection)
        if let earlier = facts.earlier {
            return .made(try repeated(earlier, order: order, actor: actor, source: source, on: connection))
        }
        let terms = try facts.check(order)
        let (service, caregiverInformed, priority) = (terms.service, terms.caregiverInformed, terms.priority)
        let due: Date
        do {
            due = Self.date(try facts.responseTimes.due(priority: priority, createdAt: Self.duration(facts.now)))
        } catch {
            throw StoreError.invalid(argument: "priority", message: error.description)
        }
        let (overrideBy, overrideReason): (String?, String?) =
            switch order.consent {
            case .given: (nil, nil)
            case .overridden(let supervisor, let reason): (supervisor, reason)
            }
        let consent = order.consent == .given
        let audit = ReferralCreationAudit(
            actor: actor, source: source,
            detail: "case \(order.caseID) need \(order.needID) provider \(order.providerID) \(priority)",
            overrideReason: overrideReason.map { ReferralCreationAudit.overrideDetail($0) })
        let insert: PostgresQuery = """
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
                SELECT id, created_at, \(actor), NULL, 'pending', \(order.note) FROM made),
            -- What the provider may see of the person: the identifiers as they are now, when the
            -- consent is given (still encrypted; Schema/0010_referral_contacts.sql).
            contact AS (
                INSERT INTO referral_contacts (referral_id, organisation_id, identifiers)
                SELECT made.id, \(organisation), p.identifiers
                  FROM made, cases c JOIN persons p ON p.id = c.person_id
                 WHERE c.id = \(order.caseID) AND c.organisation_id = \(organisation) AND \(consent))
            SELECT id, due_at, version FROM made
            """
        return .insert(insert, priority: priority, audit: audit)
    }

    private static func made(_ rows: PostgresRows, priority: String) throws -> ReferralMade? {
        guard let row = rows.first else { return nil }
        let (id, dueAt, version) = try row.decode((Int64, Date, Int).self)
        return ReferralMade(id: id, status: .pending, priority: priority, dueAt: dueAt, version: version, created: true)
    }

    /// A retry returns the first referral, provided it asked for the same thing: a key reused
    /// for a different referral is a client bug that must not be papered over.
    private func repeated(
        _ earlier: ReferralFacts.Earlier, order: ReferralOrder, actor: String, source: String,
        on connection: PostgresConnection
    ) throws -> ReferralMade {
        guard earlier.caseID == order.caseID, earlier.needID == order.needID, earlier.providerID == order.providerID
        else {
            throw StoreError.conflict(
                "idempotency key \(order.idempotencyKey ?? "") was already used for referral \(earlier.id) of another case, need or provider"
            )
        }
        try AuditLog.append(
            actor: actor, action: .referralRepeat, subject: "referral:\(earlier.id)", source: source,
            detail: "idempotency key repeated", on: connection)
        return ReferralMade(
            id: earlier.id, status: earlier.status, priority: earlier.priority, dueAt: earlier.dueAt,
            version: earlier.version, created: false)
    }

    static func duration(_ date: Date) -> Duration {
        .microseconds(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    static func date(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
