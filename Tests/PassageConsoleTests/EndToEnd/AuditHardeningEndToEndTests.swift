import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

/// Issue 16, item 6 over TCP against a real server and database: refused commands leave an
/// audit entry (ids only, within a budget), the audit trail copies no free text, and a chain
/// rewritten by the database's owner fails `AUDIT VERIFY` through its anchors.
@Suite("Audit hardening end to end: refusals, free text, anchors")
struct AuditHardeningEndToEndTests {
    static let accounts = ReferralCommandsEndToEndTests.accounts

    static func count(_ sql: PostgresQuery, _ conninfo: String) throws -> Int {
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        return try db.query(sql)[0].decode(Int.self, at: 0)
    }

    static func auditTail(_ server: LiveServer) async throws -> [String] {
        try await server.session(as: "adm") { try await $0.request("AUDIT TAIL 200").data }
    }

    @Test(
        "530 and 550 leave an access.refused entry with the command, the ids and the code; repeats are counted, not written"
    )
    func refusalsAreAudited() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await ReferralCommandsEndToEndTests.seed(server)
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 550)
                #expect(try await client.request("NEED ADD 1 LP-ND note=\"Maria Lopez, HIV positive\"").code == 550)
            }
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PERSON SHOW 1").code == 530)
                #expect(try await client.request("USER LIST").code == 530)
            }
            let tail = try await Self.auditTail(server)
            let refused = tail.filter { $0.contains("access.refused") }
            #expect(refused.count == 4, "\(refused)")
            #expect(refused.contains { $0.contains("cw-b") && $0.contains("case:1") && $0.contains("CASE SHOW 550") })
            #expect(refused.contains { $0.contains("cw-b") && $0.contains("NEED ADD 550 case:1") })
            #expect(refused.contains { $0.contains("an") && $0.contains("PERSON SHOW 530 case:1") })
            #expect(
                refused.contains {
                    $0.contains("an") && $0.contains("command:user.list") && $0.contains("USER LIST 530")
                })
            // References only: the note given with the refused line is nowhere in the trail.
            #expect(!tail.contains { $0.contains("Maria") || $0.contains("HIV") })

            // A flood of the same refusal is one entry a minute; the count arrives with the next one.
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                for _ in 0..<40 { #expect(try await client.request("CASE SHOW 1").code == 550) }
                #expect(try await client.request("REFERRAL SHOW 1").code == 550)
            }
            let written = try Self.count(
                "SELECT count(*) FROM audit_log WHERE action = 'access.refused' AND actor = 'cw-b'", server.conninfo)
            #expect(written == 3)
            let last = try await Self.auditTail(server).last { $0.contains("access.refused") && $0.contains("cw-b") }
            #expect(
                last?.contains("REFERRAL SHOW 550 referral:1; 40 more refusals not written") == true, "\(last ?? "")")
            #expect(try await server.session(as: "adm") { try await $0.request("AUDIT VERIFY").code } == 250)
        }
    }

    @Test(
        "notes, override reasons and names given to NEED ADD, REFER, REFERRAL SET and PERSON SET never appear in AUDIT TAIL"
    )
    func noFreeTextInTheTrail() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await ReferralCommandsEndToEndTests.seed(server)  // NEED ADD … note="no documents", PERSON SET … "Ana Pérez"
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("NEED ADD 1 SM note=\"sleeps at the Calle 10 shelter\"").code == 250)
                #expect(
                    try await client.request("REFER 1 1 1 consent=yes key=ana-perez-1 note=\"call Ana after 6pm\"").code
                        == 250)
                #expect(try await client.request("REFER 1 1 1 consent=yes key=ana-perez-1").code == 250)  // a repeat
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request(
                        "REFERRAL SET 1 declined reason=no_capacity note=\"Ana's brother works here\""
                    ).code == 250)
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let made = try await client.request(
                    "REFER 1 2 1 consent=no override=\"her husband threatens her at home\"")
                #expect(made.code == 250, "\(made.text)")
            }
            let tail = try await Self.auditTail(server)
            #expect(
                tail.contains {
                    $0.contains("referral.consent_override")
                        && $0.contains("reason recorded on the referral (33 characters)")
                })
            for secret in ["no documents", "Calle 10", "6pm", "brother", "husband", "Ana", "ana-perez"] {
                #expect(!tail.contains { $0.contains(secret) }, "\(secret) is in the audit trail")
            }
        }
    }

    @Test(
        "the database's owner deletes an entry and rehashes the chain: AUDIT VERIFY reports the first anchor that no longer matches"
    )
    func rewriteByTheOwner() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "passage-e2e-anchors-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let anchors = try AuditAnchors.inDirectory(directory)
        try await LiveServer.with(accounts: Self.accounts, auditAnchors: anchors) { server in
            try await ReferralCommandsEndToEndTests.seed(server)
            func verify() async throws -> ReceivedReply {
                try await server.session(as: "adm") { try await $0.request("AUDIT VERIFY") }
            }
            let first = try await verify()
            #expect(first.code == 250 && first.text.contains("anchors=0"), "\(first.text)")  // and now anchored
            let shown = try await server.session(as: "cw") { try await $0.request("CASE SHOW 1") }
            #expect(shown.code == 250)
            let second = try await verify()
            #expect(second.code == 250 && second.text.contains("anchors=1"), "\(second.text)")

            // The owner removes entry 2 (say, a sign-in) and relinks and rehashes everything after it.
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            try db.execute("DELETE FROM audit_log WHERE id = 2")
            for entry in try db.query("SELECT id FROM audit_log WHERE id > 2 ORDER BY id").map({
                try $0.decode(Int64.self, at: 0)
            }) {
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
            #expect(
                try AuditLog.verify(on: db)
                    == .intact(entries: try Self.count("SELECT count(*) FROM audit_log", server.conninfo)))

            let caught = try await verify()
            #expect(caught.code == 551, "\(caught.text)")
            #expect(caught.text.hasPrefix("audit chain rewritten: anchor 1 "), "\(caught.text)")
        }
    }
}
