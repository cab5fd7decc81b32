import Foundation
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Tampering with the audit log by raw SQL, as someone with database access could: every kind
/// is detected by verification, which names the first broken entry.
@Suite("Audit chain: tampering is detected at the first broken entry")
struct AuditTamperTests {
    /// A chain of six entries, ids 1…6.
    func chain() async throws -> PostgresConnection {
        let db = try await MigratedDatabase.connection()
        for index in 1...6 {
            try db.transaction {
                try AuditLog.append(
                    actor: "amina", action: .caseRead, subject: "case:\(index)", source: "127.0.0.1", on: $0)
            }
        }
        #expect(try AuditLog.verify(on: db) == .intact(entries: 6))
        return db
    }

    func firstBroken(_ db: PostgresConnection) throws -> Int64? {
        if case .broken(let id, _) = try AuditLog.verify(on: db) { return id }
        return nil
    }

    @Test("an edited field breaks that entry")
    func edit() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute("UPDATE audit_log SET subject = 'case:99' WHERE id = 3")
        #expect(try firstBroken(db) == 3)
    }

    @Test("an edited entry whose hash was recomputed breaks the link of the next")
    func editWithRecomputedHash() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute(
            """
            UPDATE audit_log SET actor = 'mallory',
                   hash = audit_entry_hash(prev_hash, id, at, 'mallory', action, subject, source, detail) WHERE id = 4
            """)
        #expect(try firstBroken(db) == 5)
    }

    @Test("a deleted entry breaks the link of the one after it")
    func delete() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute("DELETE FROM audit_log WHERE id = 2")
        #expect(try firstBroken(db) == 3)
    }

    @Test("deleting the first entry breaks the second")
    func deleteFirst() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute("DELETE FROM audit_log WHERE id = 1")
        #expect(try firstBroken(db) == 2)
    }

    @Test("two entries swapped (ids exchanged) break the first of them")
    func reorder() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute("UPDATE audit_log SET id = -id WHERE id IN (3, 4)")
        try db.execute("UPDATE audit_log SET id = CASE id WHEN -3 THEN 4 ELSE 3 END WHERE id IN (-3, -4)")
        #expect(try firstBroken(db) == 3)
    }

    @Test("deleting the newest entries is found: the chain's head names an entry that is gone")
    func deleteNewest() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute("DELETE FROM audit_log WHERE id >= 5")
        #expect(try firstBroken(db) == 6)
    }

    @Test("the newest entry edited with its hash recomputed no longer matches the head")
    func editNewestWithRecomputedHash() async throws {
        let db = try await chain()
        defer { db.close() }
        try db.execute(
            """
            UPDATE audit_log SET actor = 'mallory',
                   hash = audit_entry_hash(prev_hash, id, at, 'mallory', action, subject, source, detail) WHERE id = 6
            """)
        #expect(try firstBroken(db) == 6)
    }

    @Test("entries appended in one transaction keep their order and link up; a rolled-back one leaves nothing")
    func appendsInOneTransaction() async throws {
        let db = try await chain()
        defer { db.close() }
        struct Refused: Error {}
        try db.transaction { connection in
            try AuditLog.append(actor: "amina", action: .caseCreate, subject: "s", source: "127.0.0.1", on: connection)
            _ = try? connection.transaction { inner -> Void in
                try AuditLog.append(actor: "amina", action: .caseUpdate, subject: "s", source: "127.0.0.1", on: inner)
                throw Refused()
            }
            try AuditLog.append(actor: "amina", action: .caseRead, subject: "s", source: "127.0.0.1", on: connection)
        }
        #expect(throws: Refused.self) {
            try db.transaction { connection in
                try AuditLog.append(
                    actor: "amina", action: .caseList, subject: "s", source: "127.0.0.1", on: connection)
                throw Refused()
            }
        }
        let actions = try db.query("SELECT action FROM audit_log WHERE id > 6 ORDER BY id").map {
            try $0.decode(String.self)
        }
        #expect(actions == ["case.create", "case.read"])
        #expect(try AuditLog.verify(on: db) == .intact(entries: 8))
    }

    @Test("the casework role appends only through audit_append: it cannot insert or move the head by hand")
    func caseworkCannotWriteTheChainByHand() async throws {
        let db = try await chain()
        defer { db.close() }
        let privileges = try db.query(
            """
            SELECT has_table_privilege('passage_casework', 'audit_log', 'INSERT'),
                   has_table_privilege('passage_casework', 'audit_chain_head', 'UPDATE'),
                   has_function_privilege('passage_casework', 'audit_append(text, text, text, text, text)', 'EXECUTE'),
                   has_function_privilege('passage_statistics', 'audit_append(text, text, text, text, text)', 'EXECUTE')
            """)[0]
        let (insertsLog, updatesHead, casework, statistics) = try privileges.decode((Bool, Bool, Bool, Bool).self)
        #expect(insertsLog == false)
        #expect(updatesHead == false)
        #expect(casework == true)
        #expect(statistics == false)
    }
}
