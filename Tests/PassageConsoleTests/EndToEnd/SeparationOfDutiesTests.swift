import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Testing

/// Item 7 of the security review (Docs/security.md "7. Separation of duties"): an administrator
/// of one organisation cannot reach another organisation's personal data unseen by creating or
/// resetting one of its users.
@Suite("Separation of duties: accounts of other organisations")
struct SeparationOfDutiesTests {
    static let accounts: [(name: String, role: Role, organisation: String)] =
        LiveServer.standardAccounts
        + [("sup-b", .supervisor, "ngo-b"), ("cw-c", .caseworker, "ngo-c"), ("an-b", .analyst, "ngo-b")]

    static func signIn(_ server: LiveServer, _ user: String, _ password: String) async throws -> Int {
        try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Int in
            let reply = try await client.request("AUTH \(user) \"\(password)\"")
            if reply.code != 250 && reply.code != 515 { Issue.record("AUTH \(user): \(reply.code) \(reply.text)") }
            return reply.code
        }
    }

    @Test("another organisation's admin: the account waits for its supervisor, who sees a notice and confirms")
    func foreignAccountWaitsForSupervisor() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"CASE NEW {"ref":"c-1","current_country":"DE"}"#).code == 250)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                // A user administrator reads no case, no person.
                for line in ["CASE LIST", "CASE SHOW 1", "PERSON SHOW 1", "REFERRAL LIST"] {
                    #expect(try await client.request(line).code == 530, "\(line)")
                }
                let added = try await client.request(#"USER ADD spy caseworker "spy password 1" org=ngo-b"#)
                #expect(added.code == 250 && added.text.contains("awaiting_confirmation"), "\(added.text)")
                let reset = try await client.request(#"USER PASSWD cw-b "reset by adm 1""#)
                #expect(reset.code == 250 && reset.text.contains("awaiting_confirmation"), "\(reset.text)")
                // An analyst made a caseworker: the new role reaches cases, so it waits too.
                let promoted = try await client.request("USER ROLE an-b caseworker")
                #expect(promoted.code == 250 && promoted.text.contains("awaiting_confirmation"), "\(promoted.text)")
                // Unlocking does not release an account waiting for confirmation.
                #expect(try await client.request("USER UNLOCK spy").code == 250)
                // The admin's own organisation: audited as before, nothing to confirm.
                let own = try await client.request(#"USER ADD helper caseworker "helper password" org=ngo-a"#)
                #expect(own.code == 250 && !own.text.contains("awaiting"), "\(own.text)")
                // An organisation with cases and no supervisor to confirm: refused.
                let unsupervised = try await client.request(#"USER ADD spy-c caseworker "spy password 2" org=ngo-c"#)
                #expect(unsupervised.code == 551 && unsupervised.text.contains("no supervisor"), "\(unsupervised.text)")
                // A new organisation without cases or supervisors (being set up): a notice only.
                let fresh = try await client.request(#"USER ADD first-sup supervisor "first password" org=ngo-new"#)
                #expect(fresh.code == 250 && !fresh.text.contains("awaiting"), "\(fresh.text)")
            }
            #expect(try await Self.signIn(server, "spy", "spy password 1") == 515)
            #expect(try await Self.signIn(server, "cw-b", "reset by adm 1") == 515)
            #expect(try await Self.signIn(server, "spy-c", "spy password 2") == 515)
            #expect(try await Self.signIn(server, "an-b", LiveServer.password("an-b")) == 515)
            #expect(try await Self.signIn(server, "helper", "helper password") == 250)
            #expect(try await Self.signIn(server, "first-sup", "first password") == 250)
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                // ngo-a's supervisor sees nothing of ngo-b, and may not confirm its accounts.
                let notices = try await client.request("NOTICES")
                #expect(notices.code == 250 && !notices.data.contains { $0.contains("spy") })
                #expect(try await client.request("USER CONFIRM spy").code == 550)
            }
            try await server.session(as: "sup-b") { (client: ConsoleClient) async throws -> Void in
                let notices = try await client.request("NOTICES")
                #expect(notices.code == 250)
                #expect(
                    notices.data.contains {
                        $0.contains("adm") && $0.contains("ngo-a") && $0.contains("user.add") && $0.contains("spy")
                    })
                #expect(notices.data.contains { $0.contains("user.passwd") && $0.contains("cw-b") })
                #expect(notices.data.contains { $0.contains("user.unlock") && $0.contains("spy") })
                #expect(
                    notices.data.contains {
                        $0.contains("user.role") && $0.contains("an-b") && $0.contains("role caseworker")
                    })
                #expect(!notices.data.contains { $0.contains("helper") })
                #expect(try await client.request("USER CONFIRM spy").code == 250)
                #expect(try await client.request("USER CONFIRM spy").code == 550)
                #expect(
                    try await client.request("NOTICES 1").data.contains {
                        $0.contains("user.confirm") && $0.contains("sup-b")
                    })
            }
            #expect(try await Self.signIn(server, "spy", "spy password 1") == 250)
            #expect(try await Self.signIn(server, "cw-b", "reset by adm 1") == 515)
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                // Only supervisors read notices and confirm.
                #expect(try await client.request("NOTICES").code == 530)
                #expect(try await client.request("USER CONFIRM cw-b").code == 530)
                #expect(try await client.request("AUDIT TAIL 30").data.contains { $0.contains("user.confirm") })
            }
        }
    }
}
