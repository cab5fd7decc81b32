import Foundation
import PassageCore
import Postgres

extension ReferralStore {
    /// What `REFERRAL LIST` filters by (PassageCore).
    public typealias Filter = ReferralFilter

    /// Referrals `organisation` made or received, in id order, through the referral view. A
    /// case filter matches only the organisation's own cases (the receiving side does not know
    /// the case). Overdue: open (pending or accepted) after the due time.
    public func list(_ filter: Filter, organisation: Int64, on connection: PostgresConnection) throws -> [ReferralView]
    {
        // Two steps: the page's ids from the referrals table, then their rows through the view.
        // The view is a security barrier, so no filter or ORDER BY … LIMIT from outside reaches
        // into its scan: filtered there, a list joined and sorted every referral of the
        // organisation, and once PostgreSQL chose a generic plan for the prepared statement,
        // a list at 1,000,000 cases (350,000 referrals) ran 48 s into the statement time limit
        // (Docs/performance.md "HTTP"). On the table, with its own row-level security keeping
        // the organisation's rows, the page is an index walk; a case's referrals use the
        // case index (the view hides case_id from the receiving side as an expression).
        let page: [Int64]
        if let caseID = filter.caseID {
            page = try connection.query(
                """
                SELECT id FROM referrals
                 WHERE case_id = \(caseID) AND referring_organisation_id = \(organisation)
                   AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
                   AND (NOT \(filter.overdueOnly) OR (status IN ('pending', 'accepted') AND due_at < now()))
                   AND (\(filter.side?.rawValue)::text IS NULL OR \(filter.side?.rawValue) = 'referring')
                   AND id > \(filter.after ?? 0)
                 ORDER BY id LIMIT \(filter.limit)
                """
            ).map { try $0.decode(Int64.self, at: 0) }
        } else {
            page = try connection.query(
                """
                SELECT id FROM referrals
                 WHERE \(organisation) IN (referring_organisation_id, receiving_organisation_id)
                   AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
                   AND (NOT \(filter.overdueOnly) OR (status IN ('pending', 'accepted') AND due_at < now()))
                   AND (\(filter.side?.rawValue)::text IS NULL
                        OR (\(filter.side?.rawValue) = 'referring' AND referring_organisation_id = \(organisation))
                        OR (\(filter.side?.rawValue) = 'receiving' AND receiving_organisation_id = \(organisation)))
                   AND id > \(filter.after ?? 0)
                 ORDER BY id LIMIT \(filter.limit)
                """
            ).map { try $0.decode(Int64.self, at: 0) }
        }
        guard !page.isEmpty else { return [] }
        return try Self.views(
            connection.query(
                """
                SELECT \(Self.viewColumns) \(Self.viewFrom)
                 WHERE v.id = ANY(\(page.map(Int.init)))
                   AND \(organisation) IN (v.referring_organisation_id, v.receiving_organisation_id)
                 ORDER BY v.id
                """), organisation: organisation)
    }

    /// Referral `id` as `organisation` may see it, with its events oldest first.
    public func show(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> (
        ReferralView, [ReferralEventEntry]
    ) {
        // Contact details are opened only here, for a consenting person while the referral is
        // open: the snapshot REFER took (Schema/0010), sealed for the referring organisation,
        // of which the provider is shown the names and phone only, never the date of birth or
        // documents, nor anything recorded after the consent.
        let rows = try connection.query(
            """
            SELECT \(Self.viewColumns), v.contact \(Self.viewFrom)
             WHERE v.id = \(id) AND \(organisation) IN (v.referring_organisation_id, v.receiving_organisation_id)
            """)
        let views = try rows.map { row in
            try Self.view(
                from: row, organisation: organisation,
                contact: try row.decode([UInt8]?.self, startingAt: 26).flatMap { sealed in
                    // An erased person's contact opens no more: shown as none.
                    let opened = try key.openPerson(sealed, organisation: try row.decode(Int64.self, startingAt: 23))
                    guard case .identifiers(let shared) = opened else { return nil }
                    return ReferralContact(names: shared.names, phone: shared.phone)
                })
        }
        guard let view = views.first else { throw StoreError.notFound("referral \(id)") }
        return (view, try events(referral: id, on: connection))
    }

    /// The events of referral `id`, oldest first. Callers have checked the referral is visible.
    public func events(referral id: Int64, on connection: PostgresConnection) throws -> [ReferralEventEntry] {
        let rows = try connection.query(
            """
            SELECT id, at, actor, from_status, to_status, outcome, reason, note FROM referral_events
             WHERE referral_id = \(id) ORDER BY id
            """)
        return try rows.map { row in
            let (id, at, actor, from, to, outcome, reason, note) =
                try row.decode((Int64, Date, String, String?, String, String?, String?, String?).self)
            return ReferralEventEntry(
                id: id, at: at, actor: actor,
                record: ReferralEventRecord(
                    from: from.flatMap(ReferralStatus.init(rawValue:)), to: ReferralStatus(rawValue: to) ?? .pending,
                    outcome: outcome, reason: reason),
                note: note)
        }
    }

    static let viewColumns = SQLFragment(
        """
        v.id, v.case_id, v.need_id, v.need_code, v.provider_id, po.name, ro.name, v.service, v.priority,
               v.status, v.outcome, v.reason, v.consent, v.consent_override_by, v.consent_override_reason, v.caregiver_informed,
               v.created_by, v.created_at, v.due_at, v.version, v.age_band, v.sex, v.language,
               v.referring_organisation_id, v.receiving_organisation_id, now()
        """)

    static let viewFrom = SQLFragment(
        """
          FROM referral_views v
          JOIN organisations ro ON ro.id = v.referring_organisation_id
          JOIN organisations po ON po.id = v.receiving_organisation_id
        """)
}

extension ReferralStore {
    static func views(_ rows: PostgresRows, organisation: Int64) throws -> [ReferralView] {
        try rows.map { try view(from: $0, organisation: organisation, contact: nil) }
    }

    /// Reads `viewColumns`, the first 26 columns of `row` (`show` reads the sealed contact after them).
    static func view(from row: PostgresRow, organisation: Int64, contact: ReferralContact?) throws -> ReferralView {
        let (id, caseID, needID, needCode, providerID, providerName, referringOrganisation, service, priority) =
            try row.decode((Int64, Int64?, Int64, String, Int64, String, String, String, String).self, startingAt: 0)
        let (
            statusText, outcome, reason, consent, consentOverrideBy, consentOverrideReason, caregiverInformed,
            createdBy,
            createdAt, dueAt, version, ageBand, sex, language, referringID, receivingID, now
        ) =
            try row.decode(
                (
                    String, String?, String?, Bool, String?, String?, Bool?, String, Date, Date, Int, String?, String?,
                    String?, Int64, Int64, Date
                ).self, startingAt: 9)
        let status = ReferralStatus(rawValue: statusText) ?? .pending
        let state =
            status == .pending
            ? ReferralState.pending
            : (try? ReferralState(status: status, outcome: outcome, reason: reason)) ?? .pending
        var sides = Set<ReferralSide>()
        if referringID == organisation { sides.insert(.referring) }
        if receivingID == organisation { sides.insert(.receiving) }
        return ReferralView(
            id: id, caseID: caseID, needID: needID, needCode: needCode, providerID: providerID,
            providerName: providerName,
            referringOrganisation: referringOrganisation, service: service, priority: priority, state: state,
            consent: consent,
            consentOverrideBy: consentOverrideBy, consentOverrideReason: consentOverrideReason,
            caregiverInformed: caregiverInformed, createdBy: createdBy, createdAt: createdAt, dueAt: dueAt,
            overdue: ReferralDeadline.isOverdue(status: status, due: duration(dueAt), now: duration(now)),
            version: version, ageBand: ageBand, sex: sex, language: language,
            contact: contact,
            sides: sides)
    }
}
