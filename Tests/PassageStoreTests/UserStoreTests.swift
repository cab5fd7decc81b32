import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Users: bcrypt passwords and lockouts")
struct UserStoreTests {
    @Test("the password is stored only as a bcrypt hash and signs in")
    func hashedPassword() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore()
        let added = try users.add(
            name: "amina", role: .caseworker, organisation: 1, password: "correct horse battery", on: db)
        #expect(added.role == .caseworker && added.organisation == "default")
        let stored = try db.query("SELECT password_hash FROM users WHERE name = 'amina'")[0].decode(String.self)
        #expect(stored.hasPrefix("$2b$10$"))  // made in the application (HummingbirdBcrypt)
        #expect(!stored.contains("correct horse"))
        #expect(
            try users.signIn(name: "amina", password: "correct horse battery", source: "127.0.0.1", on: db)
                == .signedIn(added))
        #expect(try users.signIn(name: "amina", password: "wrong password", source: "127.0.0.1", on: db) == .failed)
        #expect(throws: StoreError.duplicate("user amina")) {
            try users.add(name: "amina", role: .admin, organisation: 1, password: "another password", on: db)
        }
        #expect(throws: StoreError.self) {
            try users.add(name: "Bad Name", role: .admin, organisation: 1, password: "another password", on: db)
        }
        #expect(throws: StoreError.self) {
            try users.add(name: "shorty", role: .admin, organisation: 1, password: "short", on: db)
        }
    }

    @Test("an administrator's lock holds until unlocked, and a locked account answers like a wrong password")
    func adminLock() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore()
        _ = try users.add(name: "cy", role: .policy, organisation: 1, password: "policy pass 1", on: db)
        try users.lock(name: "cy", on: db)
        // The same outcome as for a name that does not exist: the reply does not tell that cy
        // exists and is locked (it said "locked" before, for any password).
        #expect(try users.signIn(name: "cy", password: "policy pass 1", source: "192.0.2.8", on: db) == .failed)
        #expect(try users.signIn(name: "cy", password: "any guess at all", source: "192.0.2.8", on: db) == .failed)
        #expect(
            try users.signIn(name: "nobody-here", password: "any guess at all", source: "192.0.2.8", on: db) == .failed)
        try users.unlock(name: "cy", on: db)
        guard case .signedIn = try users.signIn(name: "cy", password: "policy pass 1", source: "192.0.2.8", on: db)
        else {
            Issue.record("unlock did not work")
            return
        }
        #expect(throws: StoreError.notFound("user nobody")) { try users.lock(name: "nobody", on: db) }
    }
}

@Suite("Audit log: hash chain")
struct AuditLogTests {
    func seeded() async throws -> PostgresConnection {
        let db = try await MigratedDatabase.connection()
        for index in 1...6 {
            try db.transaction {
                try AuditLog.append(
                    actor: "amina", action: .caseRead, subject: "case:\(index)", source: "127.0.0.1", on: $0)
            }
        }
        return db
    }

    @Test("an untouched chain verifies")
    func intact() async throws {
        let db = try await seeded()
        defer { db.close() }
        #expect(try AuditLog.verify(on: db) == .intact(entries: 6))
    }

    @Test("an edited row is found")
    func edited() async throws {
        let db = try await seeded()
        defer { db.close() }
        try db.execute("UPDATE audit_log SET subject = 'case:999' WHERE id = 4")
        #expect(
            try AuditLog.verify(on: db)
                == .broken(firstBrokenID: 4, reason: "its contents do not match its hash (it was edited)"))
    }

    @Test("a deleted row is found at the entry after it")
    func deleted() async throws {
        let db = try await seeded()
        defer { db.close() }
        try db.execute("DELETE FROM audit_log WHERE id = 3")
        guard case .broken(let id, _) = try AuditLog.verify(on: db) else {
            Issue.record("not detected")
            return
        }
        #expect(id == 4)
    }

    @Test("reordered rows are found")
    func reordered() async throws {
        let db = try await seeded()
        defer { db.close() }
        try db.executeScript(
            """
            UPDATE audit_log SET id = -2 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 5; UPDATE audit_log SET id = 5 WHERE id = -2;
            """)
        guard case .broken(let id, _) = try AuditLog.verify(on: db) else {
            Issue.record("not detected")
            return
        }
        #expect(id == 2)
    }

    @Test("concurrent appenders keep one unbroken chain")
    func concurrentAppends() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        let pool = try PostgresPool(conninfo: conninfo, size: 4, logger: .init(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await pool.transaction {
                        try AuditLog.append(actor: "a\(index)", action: .caseRead, subject: "s", source: "t", on: $0)
                    }
                }
            }
            try await group.waitForAll()
        }
        let verdict = try await pool.withConnection { try AuditLog.verify(on: $0) }
        #expect(verdict == .intact(entries: 40))
        await pool.shutdown()
    }
}
