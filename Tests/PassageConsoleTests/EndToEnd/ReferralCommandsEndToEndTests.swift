import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Needs, providers and referrals over TCP against a real server and database: the consent
/// gate, both sides of the lifecycle, organisation scoping, idempotency and lost-update
/// protection under concurrency, and the audit trail.
@Suite("Referral commands end to end over TCP and PostgreSQL")
struct ReferralCommandsEndToEndTests {
    static let accounts = LiveServer.standardAccounts + [(name: "cw-c", role: Role.caseworker, organisation: "clinic")]
    static let adult =
        #"{"ref":"ref-adult","age":34,"sex":"female","nationality":"VE","current_country":"CO","current_area":"CO-ANT"}"#
    static let child = #"{"ref":"ref-child","age":15,"sex":"male","nationality":"VE","current_country":"CO"}"#

    static func field(_ name: String, _ reply: ReceivedReply) -> String? {
        reply.text.split(separator: " ").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// The clinic as a provider, one adult case of ngo-a with two needs (1 LP-ND, 2 TR), provider 1.
    static func seed(_ server: LiveServer) async throws {
        try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
            let added = try await client.request(
                "PROVIDER ADD clinic services=legal_assistance,health areas=CO-ANT capacity=5")
            #expect(added.code == 250 && added.text == "provider=1", "\(added.text)")
            let attached = try await client.request("PROVIDER ADD clinic services=psychosocial areas=CO-BOL")
            // Contract: `250 provider=<id>` for an existing organisation too; the attachment is an info line.
            #expect(attached.code == 250 && attached.text == "provider=1", "\(attached.text)")
            #expect(attached.info.contains { $0.hasPrefix("attached:") }, "\(attached.info)")
            #expect(try await client.request("PROVIDER ADD other services=astrology areas=CO-ANT").code == 501)
        }
        try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
            #expect(try await client.request("CASE NEW " + adult).code == 250)
            let need = try await client.request("NEED ADD 1 LP-ND priority=urgent note=\"no documents\"")
            #expect(need.code == 250 && need.text == "need=1", "\(need.text)")
            #expect(try await client.request("NEED ADD 1 TR").text == "need=2")
            #expect(try await client.request("NEED ADD 1 XX-YY").code == 501)
            #expect(try await client.request("PERSON SET 1 name=\"Ana Pérez\" phone=\"+57 300 1234\"").code == 250)
        }
    }

    @Test(
        "consent: refused without it (553), accepted with it, a supervisor's override audited; a caseworker cannot override"
    )
    func consentGate() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let refused = try await client.request("REFER 1 1 1 consent=no")
                #expect(refused.code == 553, "\(refused.text)")
                #expect(try await client.request("REFER 1 1 1 consent=no override=\"urgent\"").code == 530)
                #expect(try await client.request("REFER 1 1 1 consent=yes override=\"why\"").code == 501)
                let made = try await client.request("REFER 1 1 1 consent=yes priority=emergency")
                #expect(made.code == 250 && made.text.hasPrefix("referral=1 status=pending due="), "\(made.text)")
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let overridden = try await client.request(
                    "REFER 1 2 1 consent=no override=\"risk to life, person unreachable\"")
                #expect(overridden.code == 250 && Self.field("referral", overridden) == "2")
                let shown = try await client.request("REFERRAL SHOW 2")
                #expect(shown.data.contains("consent: no — overridden by sup: risk to life, person unreachable"))
                #expect(shown.data.contains("contact: withheld (no consent)"))
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 30")
                // The reason stays on the referral; the entry references it, it does not copy it.
                #expect(
                    tail.data.contains {
                        $0.contains("referral.consent_override") && $0.contains("referral:2")
                            && $0.contains("reason recorded on the referral (32 characters)")
                    })
                #expect(!tail.data.contains { $0.contains("risk to life") })
                #expect(tail.data.filter { $0.contains("referral.create") }.count == 2)
                #expect(try await client.request("AUDIT VERIFY").code == 250)
            }
            // Nothing was made by the refused requests.
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            #expect(try db.query("SELECT count(*) FROM referrals")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test("the provider's side sees only the referral view; another organisation sees nothing")
    func crossOrganisation() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFER 1 1 1 consent=yes").code == 250)
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                for line in [
                    "CASE SHOW 1", "NEED LIST 1", "REFERRAL SHOW 1", "REFER 1 1 1 consent=yes", "NEED SET 1 met",
                    "REFERRAL SET 1 accepted", "PERSON SHOW 1",
                ] {
                    let reply = try await client.request(line)
                    #expect(reply.code == 550, "\(line) → \(reply.code) \(reply.text)")
                }
                #expect(try await client.request("CASE LIST").data.count == 1)  // header only
                #expect(try await client.request("REFERRAL LIST").data.count == 1)  // header only
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 550)
                #expect(try await client.request("NEED LIST 1").code == 550)
                #expect(try await client.request("PERSON SHOW 1").code == 550)
                let listed = try await client.request("REFERRAL LIST")
                #expect(listed.data.count == 2)
                #expect(try await client.request("REFERRAL LIST case=1").data.count == 1)  // the case is not theirs
                let shown = try await client.request("REFERRAL SHOW 1")
                #expect(shown.code == 250)
                #expect(shown.data.contains { $0.hasPrefix("need: LP-ND (need 1), priority urgent, due ") })
                #expect(shown.data.contains("person: age band 18-59, sex female"))
                #expect(shown.data.contains("contact: Ana Pérez, phone +57 300 1234"))
                #expect(shown.data.contains { $0.hasPrefix("from: ngo-a (cw)") && !$0.contains("case") })
                // Never the facts or the classification.
                #expect(
                    !shown.data.contains {
                        $0.contains("nationality") || $0.contains("VE") || $0.contains("classification")
                    })
            }
        }
    }

    @Test(
        "the lifecycle over the console: each side's moves, illegal ones refused (551) with nothing changed, history replayed"
    )
    func lifecycle() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFER 1 1 1 consent=yes").code == 250)
                #expect(try await client.request("REFERRAL SET 1 accepted").code == 530)  // the receiving side accepts
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                let expectations: [(String, Int)] = [
                    ("REFERRAL SET 1 completed outcome=successful", 551),  // pending cannot complete
                    ("REFERRAL SET 1 cancelled reason=other", 530),  // the referring side cancels
                    ("REFERRAL SET 1 declined", 501),  // a reason is needed
                    ("REFERRAL SET 1 declined reason=busy", 501),  // not a decline reason
                    ("REFERRAL SET 1 accepted reason=other", 501),
                    ("REFERRAL SET 1 accepted version=7", 551),  // stale
                    ("REFERRAL SET 1 accepted version=1", 250),
                    ("REFERRAL SET 1 accepted", 551),  // already accepted
                    ("REFERRAL SET 1 declined reason=no_capacity", 551),  // too late to decline
                    ("REFERRAL SET 1 completed", 501),  // needs an outcome
                    ("REFERRAL SET 1 completed outcome=unsuccessful", 501),  // needs a reason
                    (
                        "REFERRAL SET 1 completed outcome=unsuccessful reason=unable_to_contact_client version=2 note=\"three calls\"",
                        250
                    ),
                ]
                for (line, code) in expectations {
                    let reply = try await client.request(line)
                    #expect(reply.code == code, "\(line) → \(reply.code) \(reply.text)")
                }
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFERRAL SET 1 cancelled reason=other").code == 551)  // final
                let shown = try await client.request("REFERRAL SHOW 1")
                #expect(shown.text.contains("status=completed") && shown.text.contains("version=3"))
                #expect(shown.data.filter { $0.hasPrefix("event:") }.count == 3)
                #expect(
                    shown.data.contains {
                        $0.hasPrefix("event:")
                            && $0.contains(
                                "accepted → completed unsuccessful reason unable_to_contact_client: three calls")
                    })
                #expect(shown.data.contains("history: replays to completed, as stored"))
                let caseShown = try await client.request("CASE SHOW 1")
                #expect(caseShown.data.contains { $0.hasPrefix("need: 1 LP-ND") && $0.contains("urgent open v1") })
                #expect(
                    caseShown.data.contains {
                        $0.hasPrefix("referral: 1 need 1 LP-ND → clinic (legal_assistance)")
                            && $0.contains("completed unsuccessful")
                    })
                #expect(try await client.request("REFERRAL LIST status=completed").data.count == 2)
                #expect(try await client.request("REFERRAL LIST overdue").data.count == 1)
                // Needs: met with the version seen, then a stale or repeated change is refused.
                let needs = try await client.request("NEED LIST 1")
                #expect(needs.data.count == 3 && needs.data[1].contains("LP-ND") && needs.data[2].contains("TR"))
                let met = try await client.request("NEED SET 1 met version=1")
                #expect(met.code == 250 && met.text == "need=1 status=met version=2")
                #expect(try await client.request("NEED SET 1 withdrawn version=1").code == 551)
                #expect(try await client.request("NEED SET 1 met").code == 551)
                #expect(try await client.request("REFER 1 1 1 consent=yes").code == 551)  // a met need is not referred
                #expect(try await client.request("REFER 1 2 1 consent=yes").code == 250)
                #expect(try await client.request("REFER 1 2 1 consent=yes").code == 551)  // already open there
                // JSON replies like every other command.
                #expect(try await client.request("FORMAT json").code == 250)
                #expect(try await client.request("NEED SET 1 open").text == #"{"need":1,"status":"open","version":3}"#)
                let made = try await client.request("REFER 1 1 1 consent=yes key=json-1")
                #expect(made.text.hasPrefix(#"{"referral":3,"status":"pending","due":""#), "\(made.text)")
                let listed = try await client.request("PROVIDER LIST service=health")
                #expect(listed.data.count == 1 && listed.data[0].contains(#""name":"clinic""#))
            }
        }
    }

    @Test(
        "a child's referral records whether the caregiver was informed; no service for the need or an inactive provider is 501"
    )
    func caregiver() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let made = try await client.request("CASE NEW " + Self.child)
                #expect(made.code == 250, "\(made.text)")
                // (ids come from sequences: the refused NEED ADD of the seed used one up)
                let need = try #require(
                    Self.field("need", try await client.request("NEED ADD 2 SM priority=emergency")))
                let refused = try await client.request("REFER 2 \(need) 1 consent=yes")
                #expect(refused.code == 501 && refused.text.hasPrefix("caregiver:"), "\(refused.text)")
                #expect(try await client.request("REFER 2 \(need) 1 consent=yes caregiver=yes").code == 250)
                #expect(try await client.request("REFERRAL SHOW 1").data.contains("caregiver informed: yes"))
                #expect(
                    try await client.request("REFER 2 \(need) 1 consent=yes caregiver=no service=legal_assistance").code
                        == 501)
                let child = try await client.request("PROVIDER LIST area=CO")
                #expect(child.data.count == 2)
                // A provider offering no service for the need, and an inactive one: 501 naming it.
                let separated = try #require(Self.field("need", try await client.request("NEED ADD 2 SP")))
                let noService = try await client.request("REFER 2 \(separated) 1 consent=yes caregiver=yes")
                #expect(
                    noService.code == 501 && noService.text.contains("clinic offers no service for need SP"),
                    "\(noService.text)")
                let db = try PostgresConnection.connect(server.conninfo)
                defer { db.close() }
                try db.execute("UPDATE providers SET status = 'inactive' WHERE id = 1")
                let inactive = try await client.request("REFER 1 2 1 consent=yes")
                #expect(
                    inactive.code == 501 && inactive.text.contains("clinic (provider 1) is inactive"),
                    "\(inactive.text)")
            }
        }
    }

    @Test("20 concurrent REFERs with one key make one referral; two concurrent same-version moves: one wins, one 551")
    func concurrency() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            let replies = try await withThrowingTaskGroup(of: ReceivedReply.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await server.session(as: "cw") {
                            try await $0.request("REFER 1 1 1 consent=yes key=\"same-key\"")
                        }
                    }
                }
                return try await group.reduce(into: [ReceivedReply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.code == 250 })
            #expect(Set(replies.map { Self.field("referral", $0) }).count == 1)
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            #expect(try db.query("SELECT count(*) FROM referrals")[0].decode(Int.self, at: 0) == 1)
            #expect(try db.query("SELECT count(*) FROM referral_events")[0].decode(Int.self, at: 0) == 1)

            let moves = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    try await server.session(as: "cw-c") {
                        try await $0.request("REFERRAL SET 1 accepted version=1").code
                    }
                }
                group.addTask {
                    try await server.session(as: "cw") {
                        try await $0.request("REFERRAL SET 1 cancelled reason=referred_elsewhere version=1").code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(moves.sorted() == [250, 551])
            // Two caseworkers editing one case from the same version: one wins.
            let edits = try await withThrowingTaskGroup(of: Int.self) { group in
                for age in [35, 36] {
                    group.addTask {
                        try await server.session(as: "cw") {
                            try await $0.request("CASE SET 1 version=1 age=\(age)").code
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(edits.sorted() == [250, 551])
            #expect(try db.query("SELECT count(*) FROM referral_events")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test("AUDIT VERIFY names the first entry a raw SQL edit, deletion or reordering broke")
    func auditTampering() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            func verify() async throws -> ReceivedReply {
                try await server.session(as: "adm") { try await $0.request("AUDIT VERIFY") }
            }
            #expect(try await verify().code == 250)
            // Edit one entry: it is the first broken. Put it back: intact again.
            let original = try db.query("SELECT detail FROM audit_log WHERE id = 3")[0].decode(String.self, at: 0)
            try db.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 3")
            let edited = try await verify()
            #expect(edited.code == 551 && edited.text.hasPrefix("audit chain broken at entry 3:"), "\(edited.text)")
            try db.execute("UPDATE audit_log SET detail = \(original) WHERE id = 3")
            #expect(try await verify().code == 250)
            // Delete one: the next entry's link is broken.
            try db.execute("DELETE FROM audit_log WHERE id = 2")
            let deleted = try await verify()
            #expect(deleted.code == 551 && deleted.text.hasPrefix("audit chain broken at entry 3:"), "\(deleted.text)")
        }
    }
}
