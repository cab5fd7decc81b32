import Foundation
import PassageCore
import Postgres

/// Transfers of cases between organisations (Schema/0018, Docs/transfers.md). Every query names
/// the acting organisation; row-level security is the second wall where the work runs in a
/// scope. Accepting a transfer runs outside a scope (the receiving side cannot see the case
/// before it owns it): its checks are in the SQL here.
public struct TransferStore: Sendable {
    let key: PIIKey

    public init(key: PIIKey) { self.key = key }

    static let columns = SQLFragment(
        """
        t.id, t.case_id, f.name, o.name, t.kind, t.status, t.reason, t.consent, t.initiated_by, t.initiated_at,
        t.decided_by, t.decided_at, t.decision_reason, t.from_organisation_id, t.to_organisation_id
        """)
    static let from = SQLFragment(
        """
        FROM case_transfers t JOIN organisations f ON f.id = t.from_organisation_id
        JOIN organisations o ON o.id = t.to_organisation_id
        """)

    /// The id of the organisation called `name`; notFound naming it otherwise.
    public func organisation(named name: String, on connection: PostgresConnection) throws -> Int64 {
        guard let row = try connection.query("SELECT id FROM organisations WHERE name = \(name)").first else {
            throw StoreError.notFound("organisation \(name)")
        }
        return try row.decode(Int64.self)
    }

    /// The owner offers case `caseID` to organisation `to` (in the owner's scope).
    public func propose(
        caseID: Int64, to: Int64, reason: String, by actor: String, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> TransferRecord {
        guard
            try connection.query(
                "SELECT 1 FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation) FOR UPDATE"
            )
            .first != nil
        else { throw StoreError.notFound("case \(caseID)") }
        return try insert(
            caseID: caseID, from: organisation, to: to, kind: .proposal, reason: reason, consentBy: actor, by: actor,
            on: connection)
    }

    /// Organisation `organisation` asks `owner` for case `caseID` (outside a scope: the asking
    /// side cannot see the case; it learns only whether `owner` has a case of that id).
    public func request(
        caseID: Int64, owner: Int64, reason: String, by actor: String, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> TransferRecord {
        guard
            try connection.query("SELECT 1 FROM cases WHERE id = \(caseID) AND organisation_id = \(owner) FOR UPDATE")
                .first != nil
        else { throw StoreError.notFound("case \(caseID) at that organisation") }
        return try insert(
            caseID: caseID, from: owner, to: organisation, kind: .request, reason: reason, consentBy: nil, by: actor,
            on: connection)
    }

    /// The owner's own work goes before another organisation's open request: any organisation may
    /// request any case id (Docs/transfers.md "Requests"), so an open request must not hold up the
    /// owner's proposal or a merge of the person. Cancels the open requests for the cases of the
    /// persons of `caseIDs` (every case of each person: a grant moves the person) that `owner`
    /// holds, with reason `superseded`, each audited as `transfer.cancel`; both sides still see it
    /// in `TRANSFER LIST`.
    public static func supersedeRequests(
        personsOfCases caseIDs: [Int64], owner: Int64, by actor: String, source: String,
        on connection: PostgresConnection
    ) throws {
        let cancelled = try connection.query(
            """
            UPDATE case_transfers t SET status = 'cancelled', decided_by = \(actor), decided_at = now(),
                   decision_reason = 'superseded'
              FROM cases c
             WHERE c.id = t.case_id AND c.organisation_id = \(owner)
               AND c.person_id IN (SELECT person_id FROM cases
                                    WHERE id = ANY(\(caseIDs.map(Int.init))) AND organisation_id = \(owner))
               AND t.from_organisation_id = \(owner) AND t.kind = 'request' AND t.status = 'requested'
            RETURNING t.id, t.case_id
            """
        ).map { try $0.decode((Int64, Int64).self) }
        // A case without a person recorded: its own requests only.
        let alone = try connection.query(
            """
            UPDATE case_transfers SET status = 'cancelled', decided_by = \(actor), decided_at = now(),
                   decision_reason = 'superseded'
             WHERE case_id = ANY(\(caseIDs.map(Int.init))) AND from_organisation_id = \(owner)
               AND kind = 'request' AND status = 'requested'
            RETURNING id, case_id
            """
        ).map { try $0.decode((Int64, Int64).self) }
        for (id, caseID) in cancelled + alone {
            try AuditLog.append(
                actor: actor, action: .transferCancel, subject: "case:\(caseID)", source: source,
                detail: "transfer \(id) reason superseded", on: connection)
        }
    }

    func insert(
        caseID: Int64, from: Int64, to: Int64, kind: TransferKind, reason: String, consentBy: String?, by actor: String,
        on connection: PostgresConnection
    ) throws -> TransferRecord {
        if from == to {
            throw StoreError.invalid(argument: "organisation", message: "the case is already that organisation's")
        }
        if try connection.query(
            "SELECT id FROM case_transfers WHERE case_id = \(caseID) AND status IN ('proposed', 'requested')"
        ).first != nil {
            throw StoreError.conflict("case \(caseID) already has an open transfer")
        }
        let status: TransferStatus = kind == .proposal ? .proposed : .requested
        let rows = try connection.query(
            """
            INSERT INTO case_transfers (case_id, from_organisation_id, to_organisation_id, kind, status, reason, consent,
                                        consent_recorded_by, initiated_by)
            VALUES (\(caseID), \(from), \(to), \(kind.rawValue), \(status.rawValue), \(reason), \(consentBy != nil),
                    \(consentBy), \(actor))
            RETURNING id
            """)
        return try show(id: try rows[0].decode(Int64.self), on: connection)
    }

    /// Transfer `id` with the ids of its two sides (no organisation check: callers check).
    func show(id: Int64, on connection: PostgresConnection) throws -> TransferRecord {
        try withSides(id: id, lock: false, on: connection).record
    }

    func withSides(id: Int64, lock: Bool, on connection: PostgresConnection) throws -> (
        record: TransferRecord, from: Int64, to: Int64
    ) {
        let rows = try connection.query(
            "SELECT \(Self.columns) \(Self.from) WHERE t.id = \(id) \(lock ? SQLFragment("FOR UPDATE OF t") : SQLFragment(""))"
        )
        guard let row = rows.first else { throw StoreError.notFound("transfer \(id)") }
        return try Self.decode(row)
    }

    static func decode(_ row: PostgresRow) throws -> (record: TransferRecord, from: Int64, to: Int64) {
        let (id, caseID, from, to, kind, status, reason) = try row.decode(
            (Int64, Int64, String, String, String, String, String).self, startingAt: 0)
        let (consent, initiatedBy, initiatedAt, decidedBy, decidedAt, decisionReason, fromID) = try row.decode(
            (Bool, String, Date, String?, Date?, String?, Int64).self, startingAt: 7)
        let toID = try row.decode(Int64.self, startingAt: 14)
        let record = TransferRecord(
            id: id, caseID: caseID, from: from, to: to, kind: TransferKind(rawValue: kind) ?? .proposal,
            status: TransferStatus(rawValue: status) ?? .cancelled, reason: reason, consent: consent,
            initiatedBy: initiatedBy, initiatedAt: initiatedAt, decidedBy: decidedBy, decidedAt: decidedAt,
            decisionReason: decisionReason)
        return (record, fromID, toID)
    }

    /// An open transfer `organisation` may decide on (the side that did not start it).
    func openForDecision(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> (
        record: TransferRecord, from: Int64, to: Int64
    ) {
        let transfer = try withSides(id: id, lock: true, on: connection)
        guard organisation == transfer.from || organisation == transfer.to else {
            throw StoreError.notFound("transfer \(id)")
        }
        guard transfer.record.status.isOpen else {
            throw StoreError.conflict("transfer \(id) is \(transfer.record.status.rawValue) already")
        }
        let deciding = TransferRules.decidingOrganisation(
            kind: transfer.record.kind, from: transfer.from, to: transfer.to)
        guard deciding == organisation else {
            throw TransferSideError(
                "transfer \(id) is decided by the \(transfer.record.kind == .proposal ? "receiving" : "owning") organisation"
            )
        }
        return transfer
    }

    /// Declines open transfer `id` (the deciding side).
    public func decline(
        id: Int64, reason: String?, by actor: String, organisation: Int64, on connection: PostgresConnection
    ) throws -> TransferRecord {
        _ = try openForDecision(id: id, organisation: organisation, on: connection)
        return try end(id: id, as: "declined", reason: reason, by: actor, on: connection)
    }

    /// Cancels open transfer `id`; either side may (the owner when the person withdraws consent).
    public func cancel(
        id: Int64, reason: String, by actor: String, organisation: Int64, on connection: PostgresConnection
    ) throws -> TransferRecord {
        let transfer = try withSides(id: id, lock: true, on: connection)
        guard organisation == transfer.from || organisation == transfer.to else {
            throw StoreError.notFound("transfer \(id)")
        }
        guard transfer.record.status.isOpen else {
            throw StoreError.conflict("transfer \(id) is \(transfer.record.status.rawValue) already")
        }
        return try end(id: id, as: "cancelled", reason: reason, by: actor, on: connection)
    }

    /// Ends open transfer `id` without moving anything (declined or cancelled), with who and why.
    private func end(
        id: Int64, as status: String, reason: String?, by actor: String, on connection: PostgresConnection
    ) throws -> TransferRecord {
        try connection.execute(
            """
            UPDATE case_transfers SET status = \(status), decided_by = \(actor), decided_at = now(),
                   decision_reason = \(reason) WHERE id = \(id)
            """)
        return try show(id: id, on: connection)
    }

    /// Accepts open transfer `id` (a proposal by the receiving side, a request by the owner, who
    /// records consent then) and moves the case: the case row, its person (re-sealed for the new
    /// organisation: the organisation is bound into the ciphertext), its needs and its open
    /// referrals with their contact snapshots. Outside a scope, in the caller's transaction.
    public func accept(
        id: Int64, consent: Bool, by actor: String, organisation: Int64, on connection: PostgresConnection
    ) throws -> TransferRecord {
        let (record, from, to) = try openForDecision(id: id, organisation: organisation, on: connection)
        if record.kind == .request && !consent {
            throw TransferConsentMissing(
                "granting transfer \(id) needs the person's consent recorded (consent=yes)")
        }
        let caseRows = try connection.query(
            "SELECT organisation_id, person_id, ref FROM cases WHERE id = \(record.caseID) FOR UPDATE")
        guard let caseRow = caseRows.first else { throw StoreError.notFound("case \(record.caseID)") }
        let (owner, personID, ref) = try caseRow.decode((Int64, Int64?, String).self)
        guard owner == from else { throw StoreError.conflict("case \(record.caseID) changed owner meanwhile") }
        if try connection.query("SELECT 1 FROM cases WHERE organisation_id = \(to) AND ref = \(ref)").first != nil {
            throw StoreError.conflict(
                "the receiving organisation already has a case with reference \(ref); nothing was moved")
        }
        if let personID {
            // A person with more cases than this one (two records merged, Docs/finding-persons.md)
            // would leave the others pointing to a person of another organisation.
            if let other = try connection.query(
                "SELECT id FROM cases WHERE person_id = \(personID) AND id <> \(record.caseID) ORDER BY id LIMIT 1"
            ).first {
                throw StoreError.conflict(
                    "the person of case \(record.caseID) also has case \(try other.decode(Int64.self)) (merged records): undo the merge first (PERSON UNMERGE); nothing was moved"
                )
            }
            try reseal(table: "persons", keyColumn: "id", ids: [personID], from: from, to: to, on: connection)
        }
        try connection.execute(
            """
            UPDATE cases SET organisation_id = \(to), version = version + 1, updated_at = now()
             WHERE id = \(record.caseID)
            """)
        try connection.execute(
            "UPDATE needs SET organisation_id = \(to), updated_at = now() WHERE case_id = \(record.caseID)")
        let open = try connection.query(
            """
            UPDATE referrals SET referring_organisation_id = \(to), updated_at = now()
             WHERE case_id = \(record.caseID) AND referring_organisation_id = \(from) AND status IN ('pending', 'accepted')
            RETURNING id
            """
        ).map { try $0.decode(Int64.self) }
        if !open.isEmpty {
            try reseal(
                table: "referral_contacts", keyColumn: "referral_id", ids: open, from: from, to: to, on: connection)
        }
        try connection.execute(
            """
            UPDATE case_transfers SET status = 'accepted', decided_by = \(actor), decided_at = now(),
                   consent = true, consent_recorded_by = coalesce(consent_recorded_by, \(actor))
             WHERE id = \(id)
            """)
        return try show(id: id, on: connection)
    }

    /// Opens `ids` of `table` sealed for `from` and seals them for `to`, moving them.
    func reseal(
        table: String, keyColumn: String, ids: [Int64], from: Int64, to: Int64, on connection: PostgresConnection
    ) throws {
        let rows = try connection.query(
            """
            SELECT \(identifier: keyColumn), identifiers FROM \(identifier: table)
             WHERE \(identifier: keyColumn) = ANY(\(ids.map(Int.init))) AND organisation_id = \(from) FOR UPDATE
            """)
        for row in rows {
            let (rowID, sealed) = try row.decode((Int64, [UInt8]).self)
            // Under the person's own key (`pd2:`) it stays that key; an erased person's value
            // stays as it is (nothing opens it) and only changes owner.
            let resealed: [UInt8]
            do {
                resealed = try key.resealPerson(sealed, from: from, to: to) ?? sealed
            } catch {
                throw StoreError.unusable(
                    "\(table) row \(rowID): its personal identifiers do not open for their organisation; nothing was moved"
                )
            }
            try connection.execute(
                """
                UPDATE \(identifier: table) SET organisation_id = \(to), identifiers = \(resealed)
                 WHERE \(identifier: keyColumn) = \(rowID)
                """)
        }
    }

    /// The transfers `organisation` is a party to, or (with `caseID`) those of one case it owns
    /// or was a party to, oldest first; with `limit`, at most that many with ids above `after`.
    public func list(
        caseID: Int64?, organisation: Int64, after: Int64? = nil, limit: Int? = nil, on connection: PostgresConnection
    ) throws -> [TransferRecord] {
        let rows: PostgresRows
        if let caseID {
            rows = try connection.query(
                """
                SELECT \(Self.columns) \(Self.from)
                 WHERE t.case_id = \(caseID)
                   AND (\(organisation) IN (t.from_organisation_id, t.to_organisation_id)
                        OR EXISTS (SELECT 1 FROM cases c WHERE c.id = t.case_id AND c.organisation_id = \(organisation)))
                   AND t.id > \(after ?? 0)
                 ORDER BY t.id LIMIT \(Int64(limit ?? Int.max))
                """)
        } else {
            rows = try connection.query(
                """
                SELECT \(Self.columns) \(Self.from)
                 WHERE \(organisation) IN (t.from_organisation_id, t.to_organisation_id)
                   AND t.id > \(after ?? 0)
                 ORDER BY t.id LIMIT \(Int64(limit ?? Int.max))
                """)
        }
        return try rows.map { try Self.decode($0).record }
    }

    /// The owners of case `caseID` with dates, for its current owner `organisation`.
    public func owners(caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws -> [CaseOwnership]
    {
        let rows = try connection.query(
            """
            SELECT c.created_at, o.name FROM cases c JOIN organisations o ON o.id = c.organisation_id
             WHERE c.id = \(caseID) AND c.organisation_id = \(organisation)
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        let (openedAt, owner) = try row.decode((Date, String).self)
        let accepted = try connection.query(
            """
            SELECT f.name, o.name, t.decided_at \(Self.from)
             WHERE t.case_id = \(caseID) AND t.status = 'accepted' ORDER BY t.decided_at, t.id
            """
        ).map { row in
            let (from, to, at) = try row.decode((String, String, Date).self)
            return (from: from, to: to, at: at)
        }
        return TransferRules.owners(openedAt: openedAt, currentOwner: owner, accepted: accepted)
    }
}

/// The acting organisation is a party to the transfer but not the side that decides it.
public struct TransferSideError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Granting a request without the person's consent recorded.
public struct TransferConsentMissing: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
