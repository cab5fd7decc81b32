import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// AuditService over a real PostgreSQL: the tail, the chain's verification with and without
/// anchors, and refusals written within their budget.
@Suite("Audit service")
struct AuditServiceTests {
    @Test(
        "the tail is the newest entries, newest last; verification counts an intact chain and names the first broken entry"
    )
    func tailAndVerify() async throws {
        try await ServiceFixture.with(accounts: [("adm", .admin, "ngo-a")]) { fixture in
            let admin = try await fixture.actor("adm")
            for name in ["ann", "ben", "col"] {
                _ = try await fixture.services.users.add(
                    NewUser(name: name, role: .caseworker, password: "a long password"), by: admin)
            }
            let tail = try await fixture.services.audit.tail(2, by: admin)
            #expect(tail.map(\.subject) == ["user:ben", "user:col"] && tail.map(\.action) == ["user.add", "user.add"])
            // sign-in + three adds; nothing anchored outside the database.
            #expect(try await fixture.services.audit.verify(by: admin) == AuditChainIntact(entries: 4, anchors: nil))
            let edited = try await fixture.pool.withConnection { connection in
                try connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
                let id = try connection.query("SELECT id FROM audit_log WHERE subject = 'user:ben'")[0].decode(
                    Int64.self, at: 0)
                try connection.execute("UPDATE audit_log SET detail = 'role admin' WHERE id = \(id)")
                try connection.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
                return id
            }
            await #expect(
                throws: ServiceError.conflict(
                    "audit chain broken at entry \(edited): its contents do not match its hash (it was edited)")
            ) {
                _ = try await fixture.services.audit.verify(by: admin)
            }
        }
    }

    @Test("with anchors: a verified chain is anchored, and a rewrite behind an anchor is found")
    func anchors() async throws {
        let directory = NSTemporaryDirectory() + "audit-service-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let anchors = try AuditAnchors.opening(path: directory + "/anchors", keyPath: directory + "/anchors.key")
        let conninfo = try await MigratedDatabase.conninfo()
        let pool = try PostgresPool(conninfo: conninfo, size: 1, logger: Logger(label: "test.audit-service"))
        let services = ApplicationServices.onStore(
            StoreSetup(pool: pool, personalDataKey: ServiceFixture.personalDataKey, auditAnchors: anchors))
        let admin = Actor.operator("operator:tester")
        _ = try await services.users.add(NewUser(name: "ann", role: .admin, password: "a long password"), by: admin)
        // The first verification finds no anchor yet and anchors the head; the next checks that anchor.
        #expect(try await services.audit.verify(by: admin) == AuditChainIntact(entries: 1, anchors: 0))
        #expect(try await services.audit.verify(by: admin).anchors == 1)
        #expect(try await services.audit.verify(by: admin).anchors == 1)  // the head did not move: still one anchor
        try await pool.withConnection { connection in
            // Someone with write access rewrites the whole chain consistently: the links hold, the anchor does not.
            try connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            try connection.execute("UPDATE audit_log SET detail = 'role caseworker, organisation default'")
            try connection.execute(
                """
                UPDATE audit_log SET hash = audit_entry_hash(prev_hash, id, at, actor, action, subject, source, detail)
                """)
            try connection.execute(
                "UPDATE audit_chain_head SET hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)")
            try connection.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
        }
        do {
            _ = try await services.audit.verify(by: admin)
            Issue.record("the rewrite was not found")
        } catch {
            guard case ServiceError.conflict(let message) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(message.hasPrefix("audit chain rewritten: "))
        }
        await pool.shutdown()
    }

    @Test(
        "refusals are written as access.refused with their ids, within the per-user budget; repeats are counted into the next entry"
    )
    func refusals() async throws {
        try await ServiceFixture.with { (fixture: ServiceFixture) async throws -> Void in
            let audit = fixture.services.audit
            await audit.recordRefusal(
                Refusal(user: "mallory", command: "CASE SHOW", code: 550, targets: ["case:7"]), source: "192.0.2.66")
            await audit.recordRefusal(
                Refusal(user: "mallory", command: "CASE SHOW", code: 550, targets: ["case:7"]), source: "192.0.2.66")
            await audit.recordRefusal(
                Refusal(user: "mallory", command: "STATS", code: 530, targets: []), source: "192.0.2.66")
            #expect(
                try await fixture.audit(.accessRefused) == [
                    .init(
                        actor: "mallory", action: "access.refused", subject: "case:7", source: "192.0.2.66",
                        detail: "CASE SHOW 550 case:7"),
                    .init(
                        actor: "mallory", action: "access.refused", subject: "command:stats", source: "192.0.2.66",
                        detail: "STATS 530; 1 more refusals not written"),
                ])
        }
    }
}
