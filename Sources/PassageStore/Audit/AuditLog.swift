import Foundation
import PassageCore
import Postgres

/// The result of walking the audit chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(entries: Int)
    /// The first entry whose hash or link to its predecessor does not hold.
    case broken(firstBrokenID: Int64, reason: String)
}

/// Appends to and verifies the hash-chained audit log. Appending happens inside the caller's
/// transaction, so an audited change and its entry commit together or not at all.
public enum AuditLog {
    /// Appends an entry through `audit_append` (Schema/0007): it locks the chain's head row,
    /// links the entry to the newest committed one and moves the head, and the lock is held to
    /// the end of the transaction. Inside a transaction the append is sent with the COMMIT, in
    /// one round trip (`runAtCommit`), so no client round trip happens while other audited
    /// transactions wait for that lock; entries appended in one transaction keep their order.
    /// A failed append fails the commit. Outside a transaction it runs at once.
    public static func append(
        actor: String, action: AuditAction, subject: String, source: String, detail: String = "",
        on connection: PostgresConnection
    ) throws {
        try connection.runAtCommit(
            "SELECT audit_append(\(actor), \(action.rawValue), \(subject), \(source), \(detail))")
    }

    /// The newest `count` entries, newest last.
    public static func tail(_ count: Int, on connection: PostgresConnection) throws -> [AuditEntry] {
        let rows = try connection.query(
            """
            SELECT id, at, actor, action, subject, source, detail FROM
              (SELECT * FROM audit_log ORDER BY id DESC LIMIT \(count)) newest ORDER BY id
            """)
        return try rows.map { row in
            let (id, at, actor, action, subject, source, detail) = try row.decode(
                (Int64, Date, String, String, String, String, String).self)
            return AuditEntry(
                id: id, at: at, actor: actor, action: action, subject: subject, source: source, detail: detail)
        }
    }

    /// Recomputes every hash in the server and checks each link; reports the first break.
    public static func verify(on connection: PostgresConnection) throws -> AuditVerification {
        let rows = try connection.query(
            """
            WITH chain AS (
                SELECT id, hash, prev_hash,
                       audit_entry_hash(prev_hash, id, at, actor, action, subject, source, detail) AS recomputed,
                       coalesce(lag(hash) OVER (ORDER BY id), '') AS previous
                  FROM audit_log)
            SELECT id, CASE WHEN prev_hash <> previous THEN 'its link to the previous entry is broken (an entry before it was deleted, edited or reordered)'
                            ELSE 'its contents do not match its hash (it was edited)' END
              FROM chain WHERE hash <> recomputed OR prev_hash <> previous
             ORDER BY id LIMIT 1
            """)
        if let row = rows.first {
            let (id, reason) = try row.decode((Int64, String).self)
            return .broken(firstBrokenID: id, reason: reason)
        }
        // Every link holds; the newest entry must still be the one the chain's head names, or
        // entries after it were deleted.
        let tail = try connection.query(
            """
            SELECT h.last_id, coalesce((SELECT max(id) FROM audit_log), 0), h.hash,
                   coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')
              FROM audit_chain_head h
            """)[0]
        let (headID, lastID, headHash, lastHash) = try tail.decode((Int64, Int64, String, String).self)
        if headID != lastID || headHash != lastHash {
            return .broken(
                firstBrokenID: headID,
                reason:
                    "the chain's head names entry \(headID) but the newest entry is \(lastID) (the newest entries were deleted or replaced)"
            )
        }
        let count = try connection.query("SELECT count(*) FROM audit_log")[0].decode(Int.self)
        return .intact(entries: count)
    }
}
