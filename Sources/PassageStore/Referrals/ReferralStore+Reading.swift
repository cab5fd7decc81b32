import Foundation
import PassageCore
import Postgres

extension ReferralStore {
    /// What `REFERRAL LIST` filters by.
    public struct Filter: Sendable, Equatable {
        public var caseID: Int64?
        public var status: ReferralStatus?
        public var overdueOnly: Bool
        public var after: Int64?
        public var limit: Int

        public init(caseID: Int64? = nil, status: ReferralStatus? = nil, overdueOnly: Bool = false, after: Int64? = nil, limit: Int = 100) {
            self.caseID = caseID
            self.status = status
            self.overdueOnly = overdueOnly
            self.after = after
            self.limit = limit
        }
    }

    /// Referrals `organisation` made or received, in id order, through the referral view. A
    /// case filter matches only the organisation's own cases (the receiving side does not know
    /// the case). Overdue: open (pending or accepted) after the due time.
    public func list(_ filter: Filter, organisation: Int64, on connection: PostgresConnection) throws -> [ReferralView] {
        try Self.views(connection.query("""
            SELECT \(Self.viewColumns) \(Self.viewFrom)
             WHERE \(organisation) IN (v.referring_organisation_id, v.receiving_organisation_id)
               AND (\(filter.caseID)::bigint IS NULL OR (v.case_id = \(filter.caseID) AND v.referring_organisation_id = \(organisation)))
               AND (\(filter.status?.rawValue)::text IS NULL OR v.status = \(filter.status?.rawValue))
               AND (NOT \(filter.overdueOnly) OR (v.status IN ('pending', 'accepted') AND v.due_at < now()))
               AND v.id > \(filter.after ?? 0)
             ORDER BY v.id LIMIT \(filter.limit)
            """), organisation: organisation)
    }

    /// Referral `id` as `organisation` may see it, with its events oldest first.
    public func show(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> (ReferralView, [ReferralEventEntry]) {
        // Contact details are opened only here, for a consenting person while the referral is
        // open: the snapshot REFER took (Schema/0010), sealed for the referring organisation,
        // of which the provider is shown the names and phone only, never the date of birth or
        // documents, nor anything recorded after the consent.
        let rows = try connection.query("""
            SELECT \(Self.viewColumns), v.contact \(Self.viewFrom)
             WHERE v.id = \(id) AND \(organisation) IN (v.referring_organisation_id, v.receiving_organisation_id)
            """)
        let views = try rows.map { row in
            try Self.view(from: row, organisation: organisation, contact: try row.decode([UInt8]?.self, at: 26).map { sealed in
                let shared = try key.cipher.open(sealed, organisation: try row.decode(Int64.self, at: 23))
                return PersonalIdentifiers(names: shared.names, phone: shared.phone)
            })
        }
        guard let view = views.first else { throw StoreError.notFound("referral \(id)") }
        return (view, try events(referral: id, on: connection))
    }

    /// The events of referral `id`, oldest first. Callers have checked the referral is visible.
    public func events(referral id: Int64, on connection: PostgresConnection) throws -> [ReferralEventEntry] {
        let rows = try connection.query("""
            SELECT id, at, actor, from_status, to_status, outcome, reason, note FROM referral_events
             WHERE referral_id = \(id) ORDER BY id
            """)
        return try rows.map { row in
            ReferralEventEntry(
                id: try row.decode(Int64.self, at: 0), at: try row.decode(Date.self, at: 1), actor: try row.decode(String.self, at: 2),
                record: ReferralEventRecord(
                    from: try row.decode(String?.self, at: 3).flatMap(ReferralStatus.init(rawValue:)),
                    to: ReferralStatus(rawValue: try row.decode(String.self, at: 4)) ?? .pending,
                    outcome: try row.decode(String?.self, at: 5), reason: try row.decode(String?.self, at: 6)),
                note: try row.decode(String?.self, at: 7))
        }
    }

    static let viewColumns = SQLFragment("""
        v.id, v.case_id, v.need_id, v.need_code, v.provider_id, po.name, ro.name, v.service, v.priority,
               v.status, v.outcome, v.reason, v.consent, v.consent_override_by, v.consent_override_reason, v.caregiver_informed,
               v.created_by, v.created_at, v.due_at, v.version, v.age_band, v.sex, v.language,
               v.referring_organisation_id, v.receiving_organisation_id, now()
        """)

    static let viewFrom = SQLFragment("""
          FROM referral_views v
          JOIN organisations ro ON ro.id = v.referring_organisation_id
          JOIN organisations po ON po.id = v.receiving_organisation_id
        """)
}

extension ReferralStore {
    static func views(_ rows: PostgresRows, organisation: Int64) throws -> [ReferralView] {
        try rows.map { try view(from: $0, organisation: organisation, contact: nil) }
    }

    static func view(from row: PostgresRow, organisation: Int64, contact: PersonalIdentifiers?) throws -> ReferralView {
        let status = ReferralStatus(rawValue: try row.decode(String.self, at: 9)) ?? .pending
        let state = status == .pending ? ReferralState.pending
            : (try? ReferralState(status: status, outcome: try row.decode(String?.self, at: 10), reason: try row.decode(String?.self, at: 11)))
              ?? .pending
        var sides = Set<ReferralSide>()
        if try row.decode(Int64.self, at: 23) == organisation { sides.insert(.referring) }
        if try row.decode(Int64.self, at: 24) == organisation { sides.insert(.receiving) }
        let dueAt = try row.decode(Date.self, at: 18)
        let now = try row.decode(Date.self, at: 25)
        return ReferralView(
            id: try row.decode(Int64.self, at: 0),
            caseID: try row.decode(Int64?.self, at: 1),
            needID: try row.decode(Int64.self, at: 2), needCode: try row.decode(String.self, at: 3),
            providerID: try row.decode(Int64.self, at: 4), providerName: try row.decode(String.self, at: 5),
            referringOrganisation: try row.decode(String.self, at: 6), service: try row.decode(String.self, at: 7),
            priority: try row.decode(String.self, at: 8), state: state, consent: try row.decode(Bool.self, at: 12),
            consentOverrideBy: try row.decode(String?.self, at: 13), consentOverrideReason: try row.decode(String?.self, at: 14),
            caregiverInformed: try row.decode(Bool?.self, at: 15), createdBy: try row.decode(String.self, at: 16),
            createdAt: try row.decode(Date.self, at: 17), dueAt: dueAt,
            overdue: ReferralDeadline.isOverdue(status: status, due: duration(dueAt), now: duration(now)),
            version: try row.decode(Int.self, at: 19), ageBand: try row.decode(String?.self, at: 20),
            sex: try row.decode(String?.self, at: 21), language: try row.decode(String?.self, at: 22),
            contact: contact,
            sides: sides)
    }
}
