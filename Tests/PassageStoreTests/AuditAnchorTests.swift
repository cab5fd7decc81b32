import Foundation
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The audit chain anchored outside the database: the owner of the database can delete an entry
/// and recompute every hash after it (the chain then verifies by itself), but not re-sign the
/// anchors, so checking them finds the rewrite.
@Suite("Audit anchors: a chain rewritten in the database is found")
struct AuditAnchorTests {
    /// A fresh directory for an anchors file and its key.
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("passage-anchors-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A chain of `count` entries, ids 1…count.
    static func chain(_ count: Int = 6, label: String = #function) async throws -> PostgresConnection {
        let db = try await MigratedDatabase.connection(label)
        for index in 1...count {
            try db.transaction {
                try AuditLog.append(
                    actor: "amina", action: .caseRead, subject: "case:\(index)", source: "127.0.0.1", on: $0)
            }
        }
        return db
    }

    /// What the database's owner can do: delete entry `id`, then relink and rehash every entry
    /// after it and move the head, so that the chain holds together again.
    static func deleteAndRehash(_ id: Int64, on db: PostgresConnection) throws {
        try db.execute("DELETE FROM audit_log WHERE id = \(id)")
        let later = try db.query("SELECT id FROM audit_log WHERE id > \(id) ORDER BY id").map {
            try $0.decode(Int64.self)
        }
        for entry in later {
            try db.execute(
                """
                UPDATE audit_log a SET prev_hash = p.previous,
                       hash = audit_entry_hash(p.previous, a.id, a.at, a.actor, a.action, a.subject, a.source, a.detail)
                  FROM (SELECT coalesce((SELECT hash FROM audit_log WHERE id < \(entry) ORDER BY id DESC LIMIT 1), '') AS previous) p
                 WHERE a.id = \(entry)
                """)
        }
        try db.execute(
            "UPDATE audit_chain_head SET last_id = l.id, hash = l.hash FROM (SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1) l"
        )
    }

    @Test(
        "an entry deleted and the chain rehashed: the chain alone says intact, the anchors name the first one that no longer matches"
    )
    func rewriteIsFound() async throws {
        let db = try await Self.chain()
        defer { db.close() }
        let anchors = try AuditAnchors.inDirectory(try Self.directory())
        let first = try #require(try anchors.anchorHead(on: db))
        #expect(first.sequence == 1 && first.entryID == 6)
        try db.transaction {
            try AuditLog.append(actor: "amina", action: .caseRead, subject: "case:7", source: "127.0.0.1", on: $0)
        }
        #expect(try anchors.anchorHead(on: db)?.entryID == 7)
        #expect(try anchors.check(on: db) == .holds(anchors: 2))

        try Self.deleteAndRehash(2, on: db)
        // What today's verification alone sees: nothing wrong.
        #expect(try AuditLog.verify(on: db) == .intact(entries: 6))
        guard case .broken(let anchor, let entry, let reason) = try anchors.check(on: db) else {
            Issue.record("the rewrite was not found")
            return
        }
        #expect(anchor == 1 && entry == 6)
        #expect(reason.contains("no longer matches entry 6"), "\(reason)")
    }

    @Test("the newest entries deleted and the head moved back: the last anchor's entry is gone")
    func chainCutShort() async throws {
        let db = try await Self.chain()
        defer { db.close() }
        let anchors = try AuditAnchors.inDirectory(try Self.directory())
        try anchors.anchorHead(on: db)
        try db.execute("DELETE FROM audit_log WHERE id >= 5")
        try db.execute("UPDATE audit_chain_head SET last_id = 4, hash = (SELECT hash FROM audit_log WHERE id = 4)")
        #expect(try AuditLog.verify(on: db) == .intact(entries: 4))
        guard case .broken(1, 6, let reason) = try anchors.check(on: db) else {
            Issue.record("the shortened chain was not found")
            return
        }
        #expect(reason.contains("no longer in the chain"))
    }

    @Test("an anchor line edited without the key, or removed from the middle, is reported; one head is anchored once")
    func anchorsFileTampering() async throws {
        let db = try await Self.chain(3)
        defer { db.close() }
        let directory = try Self.directory()
        let anchors = try AuditAnchors.inDirectory(directory)
        try anchors.anchorHead(on: db)
        #expect(try anchors.anchorHead(on: db) == nil)  // the head has not moved
        for index in 4...5 {
            try db.transaction {
                try AuditLog.append(actor: "amina", action: .caseRead, subject: "case:\(index)", source: "x", on: $0)
            }
            try anchors.anchorHead(on: db)
        }
        let path = directory + "/" + AuditAnchors.defaultFileName
        let original = try String(contentsOfFile: path, encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)

        // The owner rehashes the chain and rewrites the anchors to match, without the key.
        try Self.deleteAndRehash(1, on: db)
        let forged = try db.query("SELECT hash FROM audit_log WHERE id = 3")[0].decode(String.self)
        lines[0] = lines[0].replacingOccurrences(
            of: #"hash=[0-9a-f]{64}"#, with: "hash=\(forged)", options: .regularExpression)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        guard case .broken(1, nil, let reason) = try AuditAnchors.inDirectory(directory).check(on: db) else {
            Issue.record("a forged anchor was accepted")
            return
        }
        #expect(reason.contains("signature does not match"), "\(reason)")

        // Removing an anchor line leaves a gap in the numbers.
        let kept = original.split(separator: "\n").map(String.init)
        try ([kept[0], kept[2]].joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        guard case .broken(2, _, let gap) = try AuditAnchors.inDirectory(directory).check(on: db) else {
            Issue.record("a removed anchor line was not noticed")
            return
        }
        #expect(gap.contains("anchor lines were removed"), "\(gap)")
    }

    @Test(
        "the anchors file deleted or truncated while the server runs is reported; an anchors file without its key is refused"
    )
    func anchorsFileRemoved() async throws {
        let db = try await Self.chain(2)
        defer { db.close() }
        let directory = try Self.directory()
        let anchors = try AuditAnchors.inDirectory(directory)
        try anchors.anchorHead(on: db)
        try db.transaction {
            try AuditLog.append(actor: "amina", action: .caseRead, subject: "case:3", source: "x", on: $0)
        }
        try anchors.anchorHead(on: db)
        // Someone who can write the data directory (the cluster's OS user owns it) removes the file.
        let path = directory + "/" + AuditAnchors.defaultFileName
        try FileManager.default.removeItem(atPath: path)
        guard case .broken(1, nil, let reason) = try anchors.check(on: db) else {
            Issue.record("a deleted anchors file was not noticed")
            return
        }
        #expect(reason.contains("holds 0 anchor lines but this server wrote or read 2"), "\(reason)")
        // A new key for old anchors would make them uncheckable: refused.
        try anchors.anchorHead(on: db, now: Date())  // nothing new to anchor; the file stays absent
        try "anchor v1 seq=1\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: directory + "/" + AuditAnchorKey.defaultFileName)
        #expect(throws: StoreError.self) { try AuditAnchors.inDirectory(directory) }
    }

    @Test("the anchor key: created once with mode 0600, the same key read back; a key readable by others is refused")
    func keyFile() throws {
        let directory = try Self.directory()
        let path = directory + "/" + AuditAnchorKey.defaultFileName
        let key = try AuditAnchorKey.loadOrCreate(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try AuditAnchorKey.loadOrCreate(at: path)
        #expect(key.sign("x") == again.sign("x"))
        #expect(String(describing: key) == "AuditAnchorKey(***)")
        chmod(path, 0o644)
        #expect(throws: StoreError.self) { try AuditAnchorKey.loadOrCreate(at: path) }
    }
}
