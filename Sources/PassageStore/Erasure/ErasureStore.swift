import Foundation
import PassageCore
import Postgres

/// Erasure of a person by crypto-shredding, on the case database's side (Docs/case-life.md
/// "Retention and erasure"): in ONE transaction the person (and any record merged into them)
/// is marked erased, the free-text notes of their cases' needs and referrals are set to NULL,
/// their referral contact copies and blind-index rows are deleted, and the keyring entries to
/// destroy are returned. The caller destroys those entries (another database) and then clears
/// `key_destruction_pending`; the reconciler (`pendingDestructions`) finishes what a crash
/// between the two left. The coarse facts of the cases stay, for statistics.
public struct ErasureStore: Sendable {
    public init() {}

    /// What one erasure marked: the persons' ids and the keyring entries to destroy.
    public struct Marked: Sendable, Equatable {
        public var personIDs: [Int64]
        public var entries: [UUID]
        /// The case database's free-text notes erased (needs', referral events' and overrides'
        /// reasons) — a count only.
        public var notesErased: Int
    }

    /// Marks the person of case `caseID` (owned by `organisation`) erased. Not found when the
    /// case is not the organisation's or has no person; a conflict when the case (or another
    /// case of the same person) is open, when the person is already erased, or when their
    /// identifiers are still sealed under the personal-data key itself (`pd1:`: destroying no
    /// key would erase them; `passage pii-key convert` first).
    public func markErased(
        caseID: Int64, organisation: Int64, reason: ErasureReason, on connection: PostgresConnection
    ) throws -> Marked {
        let rows = try connection.query(
            """
            SELECT person_id, closed_at IS NOT NULL FROM cases
             WHERE id = \(caseID) AND organisation_id = \(organisation) FOR UPDATE
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        let (person, closed) = try row.decode((Int64?, Bool).self)
        guard let person else { throw StoreError.notFound("personal details of case \(caseID)") }
        guard closed else {
            throw StoreError.conflict(
                "case \(caseID) is open: only the person of a closed case is erased (CASE CLOSE first)")
        }
        // A record merged into this person (issue 23) is the same human: erased with them.
        let withMerged = try Self.hasColumn("persons", "merged_into", on: connection)
        let persons = try connection.query(
            !withMerged
                ? "SELECT id, identifiers, erased_at IS NOT NULL FROM persons WHERE id = \(person) ORDER BY id FOR UPDATE"
                : """
                SELECT id, identifiers, erased_at IS NOT NULL FROM persons
                 WHERE id = \(person) OR merged_into = \(person) ORDER BY id FOR UPDATE
                """)
        var personIDs: [Int64] = []
        var entries: [UUID] = []
        for row in persons {
            let (id, sealed, erased) = try row.decode((Int64, [UInt8], Bool).self)
            if id == person && erased {
                throw StoreError.conflict("the personal details of case \(caseID) were already erased")
            }
            if erased { continue }
            guard let entry = PersonalDataCipher.keyringEntry(of: sealed) else {
                throw StoreError.conflict(
                    """
                    the personal details of case \(caseID) are sealed under the personal-data key itself (written before \
                    per-person keys): run `passage pii-key convert` first, then erase
                    """)
            }
            personIDs.append(id)
            entries.append(entry)
        }
        let open = try connection.query(
            """
            SELECT min(id) FROM cases WHERE person_id = ANY(\(personIDs.map(Int.init))) AND closed_at IS NULL
            """)[0].decode(Int64?.self)
        if let open {
            throw StoreError.conflict("case \(open) of the same person is open: close it first")
        }
        let ids = personIDs.map(Int.init)
        try connection.execute(
            """
            UPDATE persons SET erased_at = now(), erasure_reason = \(reason.rawValue), key_destruction_pending = true
             WHERE id = ANY(\(ids))
            """)
        let cases = try connection.query("SELECT id FROM cases WHERE person_id = ANY(\(ids))").map {
            Int(try $0.decode(Int64.self))
        }
        var notes = try connection.execute(
            "UPDATE needs SET note = NULL WHERE case_id = ANY(\(cases)) AND note IS NOT NULL")
        notes += try connection.execute(
            """
            UPDATE referral_events SET note = NULL
             WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = ANY(\(cases))) AND note IS NOT NULL
            """)
        try connection.execute(
            """
            UPDATE referrals SET consent_override_reason = NULL
             WHERE case_id = ANY(\(cases)) AND consent_override_reason IS NOT NULL
            """)
        // A supervisor's override of the category carries a free-text reason (CASE OVERRIDE, up
        // to 2,000 characters) that can name the person or tell their story. The row must keep a
        // reason (Schema/0002), so the text is replaced; the category decided stays.
        notes += try connection.execute(
            """
            UPDATE classifications SET reason = \(Self.erasedReason)
             WHERE case_id = ANY(\(cases)) AND source = 'override' AND reason IS DISTINCT FROM \(Self.erasedReason)
            """)
        // The contact snapshots REFER took are copies of the person's identifiers.
        try connection.execute(
            "DELETE FROM referral_contacts WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = ANY(\(cases)))"
        )
        // Blind indexes (issue 23): keys of the person's identifiers, gone with them.
        if try Self.hasTable("person_match_keys", on: connection) {
            try connection.execute("DELETE FROM person_match_keys WHERE person_id = ANY(\(ids))")
        }
        return Marked(personIDs: personIDs, entries: entries, notesErased: notes)
    }

    /// What an erased person's overrides say instead of their reason.
    public static let erasedReason = "(erased with the person's details)"

    /// After the keyring entries of `personIDs` were destroyed.
    public func keysDestroyed(_ personIDs: [Int64], on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE persons SET key_destruction_pending = false WHERE id = ANY(\(personIDs.map(Int.init)))")
    }

    /// Persons marked erased whose keyring entry may still exist (at most `limit`).
    public func pendingDestructions(limit: Int, on connection: PostgresConnection) throws -> [(Int64, UUID?)] {
        try connection.query(
            "SELECT id, identifiers FROM persons WHERE key_destruction_pending ORDER BY id LIMIT \(limit)"
        ).map { row in
            let (id, sealed) = try row.decode((Int64, [UInt8]).self)
            return (id, PersonalDataCipher.keyringEntry(of: sealed))
        }
    }

    /// A person due for erasure under their organisation's retention period.
    public struct Due: Sendable, Equatable {
        public var caseID: Int64
        public var organisation: Int64
    }

    /// Persons (one case of each) whose every case has been closed for longer than their
    /// organisation's retention period, not yet erased, sealed under their own key, at most
    /// `limit`; and how many more are due but still sealed under the personal-data key (`pd1:`).
    public func due(limit: Int, on connection: PostgresConnection) throws -> (due: [Due], stillUnderMasterKey: Int) {
        let rows = try connection.query(
            """
            SELECT min(c.id), p.organisation_id, substring(p.identifiers FROM 1 FOR 4) = '\\x7064323a'::bytea
              FROM persons p
              JOIN organisations o ON o.id = p.organisation_id AND o.retention_months IS NOT NULL
              JOIN cases c ON c.person_id = p.id
             WHERE p.erased_at IS NULL
             GROUP BY p.id, p.organisation_id, p.identifiers, o.retention_months
            HAVING bool_and(c.closed_at IS NOT NULL
                            AND c.closed_at < now() - make_interval(months => o.retention_months))
             ORDER BY p.id
            """)
        var due: [Due] = []
        var underMaster = 0
        for row in rows {
            let (caseID, organisation, ownKey) = try row.decode((Int64, Int64, Bool).self)
            if !ownKey {
                underMaster += 1
            } else if due.count < limit {
                due.append(Due(caseID: caseID, organisation: organisation))
            }
        }
        return (due, underMaster)
    }

    /// The retention period of `organisation` (months after closure; nil: none).
    public func retention(organisation: Int64, on connection: PostgresConnection) throws -> Int? {
        guard
            let row = try connection.query(
                "SELECT retention_months FROM organisations WHERE id = \(organisation)"
            ).first
        else { throw StoreError.notFound("organisation \(organisation)") }
        return try row.decode(Int?.self)
    }

    public func setRetention(months: Int?, organisation: Int64, on connection: PostgresConnection) throws {
        guard
            try connection.execute(
                "UPDATE organisations SET retention_months = \(months) WHERE id = \(organisation)") == 1
        else { throw StoreError.notFound("organisation \(organisation)") }
    }

    /// The id of the organisation named `name`.
    public func organisation(named name: String, on connection: PostgresConnection) throws -> Int64 {
        guard let row = try connection.query("SELECT id FROM organisations WHERE name = \(name)").first else {
            throw StoreError.notFound("organisation \(name)")
        }
        return try row.decode(Int64.self)
    }

    static func hasTable(_ table: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT to_regclass(\(table)) IS NOT NULL")[0].decode(Bool.self)
    }

    static func hasColumn(_ table: String, _ column: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                            WHERE table_schema = current_schema() AND table_name = \(table) AND column_name = \(column))
            """)[0].decode(Bool.self)
    }
}
