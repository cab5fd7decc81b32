import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Case transfers over TCP against a real server and database (issue 24, Docs/transfers.md):
/// propose and accept, decline, cancel when consent is withdrawn, request and grant; who may do
/// each step; what each organisation sees afterwards (the old owner: 550; the new one: the case,
/// its person's identifiers, needs and open referral with its contact); the owners with dates.
@Suite("Transfer commands end to end over TCP and PostgreSQL")
struct TransferCommandsEndToEndTests {
    static let accounts =
        LiveServer.standardAccounts + [
            (name: "sup-b", role: Role.supervisor, organisation: "ngo-b"),
            (name: "cw-c", role: Role.caseworker, organisation: "ngo-c"),
            (name: "sup-c", role: Role.supervisor, organisation: "ngo-c"),
            (name: "cw-clinic", role: Role.caseworker, organisation: "clinic"),
        ]
    static let adult =
        #"{"ref":"ref-adult","age":34,"sex":"female","nationality":"VE","current_country":"CO","current_area":"CO-ANT"}"#

    /// Case 1 of ngo-a with a person, need 1 (LP-ND) and referral 1 to the clinic (pending, consented).
    static func seed(_ server: LiveServer) async throws {
        try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
            #expect(try await client.request("PROVIDER ADD clinic services=legal_assistance areas=CO-ANT").code == 250)
        }
        try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
            #expect(try await client.request("CASE NEW " + adult).code == 250)
            #expect(try await client.request("PERSON SET 1 name=\"Ana Pérez\" phone=\"+57 300 1234\"").code == 250)
            #expect(try await client.request("NEED ADD 1 LP-ND").text == "need=1")
            #expect(try await client.request("REFER 1 1 1 consent=yes").code == 250)
        }
    }

    static func owner(of caseID: Int, _ server: LiveServer) throws -> String {
        let db = try PostgresConnection.connect(server.conninfo)
        defer { db.close() }
        return try db.query(
            "SELECT o.name FROM cases c JOIN organisations o ON o.id = c.organisation_id WHERE c.id = \(caseID)"
        )[0].decode(String.self, at: 0)
    }

    @Test("propose and accept: only the receiving supervisor accepts; the case, person, needs and open referral move")
    func proposeAndAccept() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=no reason=moved_area").code == 553)
                #expect(try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=yes reason=bored").code == 501)
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=nowhere consent=yes reason=moved_area").code == 550)
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=ngo-a consent=yes reason=moved_area").code == 501)
                #expect(
                    try await client.request("TRANSFER PROPOSE 9 to=ngo-b consent=yes reason=moved_area").code == 550)
                let proposed = try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=yes reason=moved_area")
                #expect(
                    proposed.code == 250 && proposed.text == "transfer=1 case=1 status=proposed", "\(proposed.text)")
                // One open transfer per case.
                #expect(try await client.request("TRANSFER PROPOSE 1 to=ngo-c consent=yes reason=other").code == 551)
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 530)  // a caseworker
                #expect(try await client.request("CASE SHOW 1").code == 550)  // not theirs yet
                let listed = try await client.request("TRANSFER LIST")
                #expect(listed.code == 250 && listed.data.contains { $0.contains("proposed") && $0.contains("ngo-a") })
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 530)  // the proposing side
            }
            try await server.session(as: "sup-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 550)  // not a party
                #expect(try await client.request("TRANSFER DECLINE 1").code == 550)
                let listed = try await client.request("TRANSFER LIST")
                #expect(listed.code == 250 && !listed.data.contains { $0.contains("ngo-a") }, "\(listed.data)")
            }
            #expect(try Self.owner(of: 1, server) == "ngo-a")
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                let accepted = try await client.request("TRANSFER ACCEPT 1")
                #expect(
                    accepted.code == 250 && accepted.text == "transfer=1 case=1 status=accepted", "\(accepted.text)")
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 551)
                #expect(try await client.request("TRANSFER DECLINE 1").code == 551)
            }
            #expect(try Self.owner(of: 1, server) == "ngo-b")
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 550)
                #expect(try await client.request("PERSON SHOW 1").code == 550)
                #expect(try await client.request("NEED LIST 1").code == 550)
                #expect(try await client.request("TRANSFER HISTORY 1").code == 550)
                #expect(try await client.request("REFERRAL SHOW 1").code == 550)
                // The transfer record itself is all the old owner keeps.
                let listed = try await client.request("TRANSFER LIST case=1")
                #expect(listed.code == 250 && listed.data.contains { $0.contains("accepted") })
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 250)
                let person = try await client.request("PERSON SHOW 1")
                #expect(person.code == 250 && person.data.contains { $0.contains("Ana Pérez") }, "\(person.data)")
                let needs = try await client.request("NEED LIST 1")
                #expect(needs.code == 250 && needs.data.contains { $0.contains("LP-ND") })
                let referral = try await client.request("REFERRAL SHOW 1")
                #expect(referral.code == 250 && referral.data.contains { $0.contains("Ana Pérez") }, "\(referral.data)")
                let history = try await client.request("TRANSFER HISTORY 1")
                #expect(history.code == 250 && history.data.count == 3, "\(history.data)")  // header and two owners
                #expect(history.data.contains { $0.hasPrefix("ngo-a") })
                #expect(history.data.contains { $0.hasPrefix("ngo-b") })
            }
            // The provider still reads the contact it was given (re-sealed for the new owner).
            try await server.session(as: "cw-clinic") { (client: ConsoleClient) async throws -> Void in
                let referral = try await client.request("REFERRAL SHOW 1")
                #expect(referral.code == 250 && referral.data.contains { $0.contains("Ana Pérez") })
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 40")
                #expect(tail.data.contains { $0.contains("transfer.propose") && $0.contains("case:1") })
                #expect(tail.data.contains { $0.contains("transfer.accept") && $0.contains("sup-b") })
                #expect(try await client.request("AUDIT VERIFY").code == 250)
            }
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            let moved = try db.query(
                """
                SELECT (SELECT count(*) FROM persons p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = 'ngo-b'),
                       (SELECT count(*) FROM needs n JOIN organisations o ON o.id = n.organisation_id WHERE o.name = 'ngo-b'),
                       (SELECT count(*) FROM referrals r JOIN organisations o ON o.id = r.referring_organisation_id WHERE o.name = 'ngo-b')
                """)[0]
            #expect(try moved.decode((Int, Int, Int).self) == (1, 1, 1))
        }
    }

    /// The old owner's closed referrals stay its record of its own work, but the case is no longer
    /// its: they must not show what the new owner records about the person afterwards (security.md
    /// item 16). On the old code the referral view joined the case as it is now, so the old owner
    /// read the new owner's age band and sex there.
    @Test(
        "after a transfer the old owner's closed referral shows none of the case's current facts; the provider's view is unchanged"
    )
    func oldOwnersClosedReferralShowsNothingOfTheCase() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFERRAL SET 1 cancelled reason=other").code == 250)
                // Before the transfer the owner sees its own case's facts on its referral.
                #expect(try await client.request("REFERRAL SHOW 1").data.contains("person: age band 18-59, sex female"))
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=yes reason=moved_area").code == 250)
            }
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 250)
            }
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            let version = try db.query("SELECT version FROM cases WHERE id = 1")[0].decode(Int.self, at: 0)
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                let changed = try await client.request("CASE SET 1 version=\(version) age=71 sex=male")
                #expect(changed.code == 250, "\(changed.text)")
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let shown = try await client.request("REFERRAL SHOW 1")
                #expect(shown.code == 250, "\(shown.text)")  // still its own record
                let person = shown.data.filter { $0.hasPrefix("person:") }
                #expect(person == ["person: age band unknown, sex unknown"], "\(shown.data)")
                #expect(!shown.data.contains { $0.contains("60+") || $0.contains("sex male") })
                let listed = try await client.request("REFERRAL LIST")
                #expect(listed.code == 250 && listed.data.count == 2, "\(listed.data)")  // header and referral 1
            }
            // The provider keeps seeing the person as the case describes them now.
            try await server.session(as: "cw-clinic") { (client: ConsoleClient) async throws -> Void in
                let shown = try await client.request("REFERRAL SHOW 1")
                #expect(
                    shown.data.contains { $0 == "person: age band 60+, sex male" },
                    "\(shown.data)")
            }
        }
    }

    /// A request names another organisation's case id, and its answer tells whether that
    /// organisation holds it (Docs/transfers.md "Requests"): a miss answers exactly as another
    /// organisation's case does, is audited, and a user gets ten requests, then one a minute; an
    /// open request no longer holds up the owner's proposal or merge. On the old code the
    /// eleventh request was answered, nothing of a miss was audited, and the owner's proposal and
    /// merge were refused with 551 until the request was declined.
    @Test(
        "requests: a miss is audited and answers like another organisation's case; ten, then 452; the owner's proposal and merge supersede an open request"
    )
    func requestsAreLimitedAuditedAndNeverBlockTheOwner() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request(
                        "CASE NEW " + Self.adult.replacingOccurrences(of: "ref-adult", with: "ref-two")
                    ).code == 250)
                #expect(try await client.request("PERSON SET 2 name=\"Ana Perez\" phone=\"+57 300 1234\"").code == 250)
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                let missing = try await client.request("TRANSFER REQUEST 99 from=ngo-a reason=other")
                let elsewhere = try await client.request("TRANSFER REQUEST 1 from=ngo-b reason=other")
                #expect(missing.code == 550 && elsewhere.code == 550)
                #expect(
                    missing.text.replacingOccurrences(of: "99", with: "N")
                        == elsewhere.text.replacingOccurrences(of: "1", with: "N"),
                    "\(missing.text) | \(elsewhere.text)")
                for _ in 0..<8 {
                    #expect(try await client.request("TRANSFER REQUEST 99 from=ngo-a reason=other").code == 550)
                }
                let limited = try await client.request("TRANSFER REQUEST 1 from=ngo-a reason=other")
                #expect(limited.code == 452, "\(limited.text)")
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("TRANSFER REQUEST 1 from=ngo-a reason=other").text
                        == "transfer=1 case=1 status=requested")
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let proposed = try await client.request("TRANSFER PROPOSE 1 to=ngo-c consent=yes reason=moved_area")
                #expect(proposed.text == "transfer=2 case=1 status=proposed", "\(proposed.text)")
                #expect(try await client.request("TRANSFER CANCEL 2 reason=other").code == 250)
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("TRANSFER REQUEST 2 from=ngo-a reason=other").text
                        == "transfer=3 case=2 status=requested")
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let merged = try await client.request("PERSON MERGE 1 2")
                #expect(merged.code == 250, "\(merged.text)")
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                let listed = try await client.request("TRANSFER LIST")
                #expect(
                    listed.data.filter { $0.contains("cancelled") && $0.contains("superseded") }.count == 2,
                    "\(listed.data)")
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 60")
                let misses = tail.data.filter { $0.contains("transfer.request") && $0.contains("refused") }
                #expect(misses.count == 10, "\(tail.data)")
                #expect(tail.data.filter { $0.contains("transfer.cancel") && $0.contains("superseded") }.count == 2)
                #expect(try await client.request("AUDIT VERIFY").code == 250)
            }
        }
    }

    @Test("decline keeps the case; consent withdrawn cancels an open transfer, which then cannot be accepted")
    func declineAndCancel() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=yes reason=capacity").code == 250)
            }
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER DECLINE 1 reason=bogus").code == 501)
                let declined = try await client.request("TRANSFER DECLINE 1 reason=no_capacity")
                #expect(
                    declined.code == 250 && declined.text == "transfer=1 case=1 status=declined", "\(declined.text)")
                #expect(try await client.request("CASE SHOW 1").code == 550)
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 250)
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=ngo-b consent=yes reason=moved_area").text
                        == "transfer=2 case=1 status=proposed")
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER CANCEL 2 reason=other").code == 550)  // not a party
            }
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER CANCEL 2 reason=other").code == 530)  // an analyst
                #expect(try await client.request("TRANSFER LIST").code == 530)
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER CANCEL 2").code == 501)  // reason required
                let cancelled = try await client.request("TRANSFER CANCEL 2 reason=consent_withdrawn")
                #expect(cancelled.code == 250 && cancelled.text == "transfer=2 case=1 status=cancelled")
                #expect(try await client.request("TRANSFER CANCEL 2 reason=consent_withdrawn").code == 551)
            }
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 2").code == 551)
            }
            #expect(try Self.owner(of: 1, server) == "ngo-a")
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let history = try await client.request("TRANSFER HISTORY 1")
                #expect(history.code == 250 && history.data.count == 2)  // header and ngo-a alone
                let listed = try await client.request("TRANSFER LIST case=1")
                #expect(listed.data.contains { $0.contains("declined") && $0.contains("no_capacity") })
                #expect(listed.data.contains { $0.contains("cancelled") && $0.contains("consent_withdrawn") })
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 40")
                #expect(tail.data.contains { $0.contains("transfer.decline") && $0.contains("sup-b") })
                #expect(tail.data.contains { $0.contains("transfer.cancel") && $0.contains("consent_withdrawn") })
            }
        }
    }

    @Test("request and grant: the owner's supervisor grants with consent; then on to a third owner, all in the history")
    func requestAndGrant() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await Self.seed(server)
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("TRANSFER REQUEST 9 from=ngo-a reason=specialised_services").code == 550)
                #expect(
                    try await client.request("TRANSFER REQUEST 1 from=ngo-c reason=specialised_services").code == 550)
                let requested = try await client.request("TRANSFER REQUEST 1 from=ngo-a reason=specialised_services")
                #expect(
                    requested.code == 250 && requested.text == "transfer=1 case=1 status=requested", "\(requested.text)"
                )
            }
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1 consent=yes").code == 530)  // the asking side
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1 consent=yes").code == 530)  // a caseworker
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 1").code == 553)  // no consent recorded
                #expect(try await client.request("TRANSFER ACCEPT 1 consent=no").code == 553)
                let granted = try await client.request("TRANSFER ACCEPT 1 consent=yes")
                #expect(granted.code == 250 && granted.text == "transfer=1 case=1 status=accepted", "\(granted.text)")
                #expect(try await client.request("CASE SHOW 1").code == 550)
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                let person = try await client.request("PERSON SHOW 1")
                #expect(person.code == 250 && person.data.contains { $0.contains("Ana Pérez") })
                #expect(
                    try await client.request("TRANSFER PROPOSE 1 to=ngo-c consent=yes reason=moved_area").code == 250)
            }
            try await server.session(as: "sup-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("TRANSFER ACCEPT 2").code == 250)
                let person = try await client.request("PERSON SHOW 1")
                #expect(person.code == 250 && person.data.contains { $0.contains("Ana Pérez") })
                let history = try await client.request("TRANSFER HISTORY 1")
                #expect(history.code == 250 && history.data.count == 4, "\(history.data)")
                #expect(
                    ["ngo-a", "ngo-b", "ngo-c"].allSatisfy { name in history.data.contains { $0.hasPrefix(name) } })
                // The current owner sees every transfer of its case, also the one it was no party to.
                #expect(try await client.request("TRANSFER LIST case=1").data.count == 3)  // header and two
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 550)
            }
            #expect(try Self.owner(of: 1, server) == "ngo-c")
        }
    }
}
