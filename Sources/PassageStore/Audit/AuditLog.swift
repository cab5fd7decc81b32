import Foundation
import Postgres

/// One audit entry as it is read back.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let action: String
    public let subject: String
    public let source: String
    public let detail: String
}

/// The result of walking the audit chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(entries: Int)
    /// The first entry whose hash or link to its predecessor does not hold.
    case broken(firstBrokenID: Int64, reason: String)
}

/// Appends to and verifies the hash-chained audit log. Appending happens inside the caller's
/// transaction, so an audited change and its entry commit together or not at all.
public enum AuditLog {
    /// Serialises appenders for the rest of their transaction, so each entry links to the
    /// one committed before it. Fixed, arbitrary key.
    static let chainLockKey: Int64 = 0x5061_7373_6175_6401

    public static func append(actor: String, action: String, subject: String, source: String, detail: String = "",
                              on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(\(chainLockKey))")
        try connection.execute("""
            INSERT INTO audit_log (id, at, actor, action, subject, source, detail, prev_hash, hash)
            SELECT n.id, n.at, \(actor), \(action), \(subject), \(source), \(detail), p.prev,
                   audit_entry_hash(p.prev, n.id, n.at, \(actor), \(action), \(subject), \(source), \(detail))
              FROM (SELECT nextval('audit_log_id_seq') AS id, clock_timestamp() AS at) n,
                   (SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) p
            """)
    }

    /// The newest `count` entries, newest last.
    public static func tail(_ count: Int, on connection: PostgresConnection) throws -> [AuditEntry] {
        let rows = try connection.query("""
            SELECT id, at, actor, action, subject, source, detail FROM
              (SELECT * FROM audit_log ORDER BY id DESC LIMIT \(count)) newest ORDER BY id
            """)
        return try rows.map { row in
            AuditEntry(id: try row.decode(Int64.self, at: 0), at: try row.decode(Date.self, at: 1),
                       actor: try row.decode(String.self, at: 2), action: try row.decode(String.self, at: 3),
                       subject: try row.decode(String.self, at: 4), source: try row.decode(String.self, at: 5),
                       detail: try row.decode(String.self, at: 6))
        }
    }

    /// Recomputes every hash in the server and checks each link; reports the first break.
    public static func verify(on connection: PostgresConnection) throws -> AuditVerification {
        let rows = try connection.query("""
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
            return .broken(firstBrokenID: try row.decode(Int64.self, at: 0), reason: try row.decode(String.self, at: 1))
        }
        let count = try connection.query("SELECT count(*) FROM audit_log")[0].decode(Int.self, at: 0)
        return .intact(entries: count)
    }
}
