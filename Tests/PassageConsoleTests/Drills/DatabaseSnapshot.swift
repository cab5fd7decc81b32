import Foundation
import Postgres
import TestSupport

/// Every table's row count and a digest of its rows, so a test can show that a refused command
/// changed nothing at all (nothing half-applied), not only that one table kept its count.
struct DatabaseSnapshot: Equatable, CustomStringConvertible {
    var tables: [String: String]

    /// `except`: tables a refused command may legitimately touch (the audit log records refusals
    /// of some kinds; sign-in bookkeeping counts failures). The audit chain's head moves with
    /// the audit log, so excepting one excepts both.
    static func take(_ conninfo: String, except: Set<String> = []) async throws -> DatabaseSnapshot {
        let except = except.contains("audit_log") ? except.union(["audit_chain_head"]) : except
        return try await offThePool {
            let db = try PostgresConnection.connect(conninfo)
            defer { db.close() }
            let names = try db.query(
                """
                SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1
                """
            ).map { try $0.decode(String.self, at: 0) }
            var tables: [String: String] = [:]
            for name in names where !except.contains(name) {
                let row = try db.query(
                    """
                    SELECT count(*)::text || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')
                      FROM \(identifier: name) t
                    """)[0]
                tables[name] = try row.decode(String.self, at: 0)
            }
            return DatabaseSnapshot(tables: tables)
        }
    }

    /// One number from the database (`SELECT count(*) …`).
    static func count(_ conninfo: String, _ query: PostgresQuery) async throws -> Int {
        try await offThePool {
            let db = try PostgresConnection.connect(conninfo)
            defer { db.close() }
            return try db.query(query)[0].decode(Int.self, at: 0)
        }
    }

    /// Runs `body` on a connection of its own, off the cooperative pool.
    static func with<T: Sendable>(_ conninfo: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T)
        async throws -> T
    {
        try await offThePool {
            let db = try PostgresConnection.connect(conninfo)
            defer { db.close() }
            return try body(db)
        }
    }

    var description: String {
        tables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(12))" }.joined(separator: " ")
    }
}
