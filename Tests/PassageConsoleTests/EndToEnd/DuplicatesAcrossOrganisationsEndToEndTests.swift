import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

/// Duplicates across organisations over TCP (issue 23 "Must show": organisation B learns that A
/// may know the person and nothing else). Every byte organisation B's supervisor receives is
/// compared with the whole expected transcript, and checked to hold none of A's identifiers.
@Suite("Duplicates across organisations end to end over TCP and PostgreSQL")
struct DuplicatesAcrossOrganisationsEndToEndTests {
    static let accounts =
        LiveServer.standardAccounts + [(name: "sup-b", role: Role.supervisor, organisation: "ngo-b")]

    /// What A recorded about the person: none of it may reach B.
    static let secrets = ["Ana", "Pérez", "P\\u00e9rez", "1990", "04-01", "+57", "300 1234", "AB123456", "ngo-a-ref"]

    /// Every byte of one connection of `user` sending `lines` (AUTH first, QUIT last).
    static func transcript(_ server: LiveServer, as user: String, _ lines: [String]) async throws -> String {
        let bytes = try await TestClient.with(port: server.port) { client in
            let all = ["AUTH \(user) \(LiveServer.password(user))"] + lines + ["QUIT"]
            for line in all { try await client.send(line + "\r\n") }
            client.finishSending()
            return try await client.readBytes(1 << 20)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(
        "B sees only that ngo-a may know its person, with a pair reference; both confirm and the cases are linked; nothing else crosses"
    )
    func organisationBLearnsNothingElse() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let opened = try await client.request(
                    #"CASE NEW {"ref":"ngo-a-ref","age":36,"sex":"female","nationality":"VE","current_country":"CO"}"#)
                #expect(opened.code == 250, "\(opened.text)")
                let recorded = try await client.request(
                    #"PERSON SET 1 name="Ana Pérez" dob=1990-04-01 phone="+57 300 1234" documents=AB123456"#)
                #expect(recorded.code == 250, "\(recorded.text)")
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                let opened = try await client.request(
                    #"CASE NEW {"ref":"b-ref","age":36,"sex":"female","nationality":"VE","current_country":"CO"}"#)
                #expect(opened.code == 250, "\(opened.text)")
                let recorded = try await client.request(#"PERSON SET 2 name="Ana Perez" dob=1990-04-01"#)
                #expect(recorded.code == 250, "\(recorded.text)")
            }
            // B's registration found A's person: one pair, recorded by the registration check.
            #expect(try Self.pairs(server) == 1)

            let before = try await Self.transcript(server, as: "sup-b", ["DUPLICATE LIST", "DUPLICATE RATE"])
            for secret in Self.secrets {
                #expect(!before.contains(secret), "B received \(secret)")
            }
            // The whole of it: the greeting, the sign-in, one pair — its reference, the other
            // organisation's name, B's own case, the status — and B's own counts.
            let greeting = "220 passage \(PassageVersion.current) ready\r\n"
            let signIn = "250 signed in user=sup-b role=supervisor organisation=ngo-b\r\n"
            let rate = Self.lines(
                "250+duplicate rate", "measure                 value", "registrations           1",
                "pairs_within_new        0", "pairs_within_confirmed  0", "pairs_within_rejected   0",
                "pairs_across_new        1", "pairs_across_confirmed  0", "pairs_across_rejected   0",
                "merges                  0", "duplicate_rate          0.0", ".", "250 9 rows")
            #expect(
                before
                    == greeting + signIn
                    + Self.lines(
                        "250+duplicate pairs",
                        "pair  with   case  other_case  score  status  our_decision  their_decision",
                        "1     ngo-a  2     -           -      new     -             -", ".", "250 1 row")
                    + rate + "221 bye\r\n",
                "\(before)")

            // A sees the same pair from its side: B's name, A's own case, nothing of B's.
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let listed = try await client.request("DUPLICATE LIST")
                #expect(
                    listed.data == [
                        "pair  with   case  other_case  score  status  our_decision  their_decision",
                        "1     ngo-b  1     -           -      new     -             -",
                    ], "\(listed.data)")
                let confirmed = try await client.request("DUPLICATE CONFIRM 1")
                #expect(confirmed.code == 250 && confirmed.text == "pair=1 status=new", "\(confirmed.text)")
                #expect(try await client.request("DUPLICATE CONFIRM 1").code == 551)
            }

            // B confirms too: the cases are linked, and only now B learns A's case id.
            let after = try await Self.transcript(server, as: "sup-b", ["DUPLICATE CONFIRM 1", "DUPLICATE LIST"])
            for secret in Self.secrets {
                #expect(!after.contains(secret), "B received \(secret)")
            }
            #expect(
                after
                    == greeting + signIn + "250 pair=1 status=confirmed linked_case=1\r\n"
                    + Self.lines(
                        "250+duplicate pairs",
                        "pair  with   case  other_case  score  status     our_decision  their_decision",
                        "1     ngo-a  2     1           -      confirmed  confirmed     confirmed", ".", "250 1 row")
                    + "221 bye\r\n",
                "\(after)")
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let listed = try await client.request("DUPLICATE LIST status=confirmed")
                #expect(
                    listed.data.last == "1     ngo-b  1     2           -      confirmed  confirmed     confirmed",
                    "\(listed.data)")
            }
            // Another organisation, not a party, sees no pair and cannot decide it.
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("DUPLICATE LIST").code == 530)
            }
        }
    }

    static func lines(_ lines: String...) -> String { lines.map { $0 + "\r\n" }.joined() }

    static func pairs(_ server: LiveServer) throws -> Int {
        let db = try PostgresConnection.connect(server.conninfo)
        defer { db.close() }
        return try db.query("SELECT count(*) FROM duplicate_pairs")[0].decode(Int.self)
    }
}
