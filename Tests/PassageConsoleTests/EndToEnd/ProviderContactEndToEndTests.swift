import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Issue 16, item 8: the provider reads the person's name and phone only while the referral is
/// open, and only as they were when consent was given.
@Suite("What providers see of a person, end to end")
struct ProviderContactEndToEndTests {
    static let accounts = ReferralCommandsEndToEndTests.accounts

    static func contact(_ server: LiveServer, as user: String, referral: Int) async throws -> [String] {
        try await server.session(as: user) { (client: ConsoleClient) async throws -> [String] in
            let shown = try await client.request("REFERRAL SHOW \(referral)")
            #expect(shown.code == 250, "\(shown.text)")
            return shown.data.filter { $0.hasPrefix("contact:") }
        }
    }

    @Test(
        "pending and accepted: the contact as at consent; changes after it are not shown; declined, cancelled, completed: nothing"
    )
    func contactWhileOpenOnly() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await ReferralCommandsEndToEndTests.seed(server)  // case 1: Ana Pérez, +57 300 1234
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFER 1 1 1 consent=yes").code == 250)  // referral 1
                #expect(
                    try await client.request(
                        "PERSON SET 1 name=\"Ana María Pérez\" phone=\"+57 311 9999\" documents=P-123"
                    ).code == 250)
            }
            // Pending: what the person consented to share, not what was recorded since.
            #expect(
                try await Self.contact(server, as: "cw-c", referral: 1) == ["contact: Ana Pérez, phone +57 300 1234"])
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFERRAL SET 1 declined reason=no_capacity").code == 250)
            }
            #expect(
                try await Self.contact(server, as: "cw-c", referral: 1) == [
                    "contact: no longer shared (referral declined)"
                ])

            // A new consent shares the details as they are now; accepted keeps them; completed ends them.
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFER 1 1 1 consent=yes").code == 250)  // referral 2
            }
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFERRAL SET 2 accepted").code == 250)
            }
            let accepted = try await Self.contact(server, as: "cw-c", referral: 2)
            #expect(accepted == ["contact: Ana María Pérez, phone +57 311 9999"])  // never the documents
            try await server.session(as: "cw-c") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFERRAL SET 2 completed outcome=successful").code == 250)
            }
            #expect(
                try await Self.contact(server, as: "cw-c", referral: 2) == [
                    "contact: no longer shared (referral completed)"
                ])

            // Cancelled by the referring side: nothing for the provider either.
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REFER 1 2 1 consent=yes").code == 250)  // referral 3
                #expect(try await client.request("REFERRAL SET 3 cancelled reason=other").code == 250)
            }
            #expect(
                try await Self.contact(server, as: "cw-c", referral: 3) == [
                    "contact: no longer shared (referral cancelled)"
                ])

            // Nothing of the closed referrals' snapshots is left in the database.
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            #expect(try db.query("SELECT count(*) FROM referral_contacts")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test("details recorded after the consent are not shown: a person without details at REFER stays without")
    func detailsAddedLater() async throws {
        try await LiveServer.with(accounts: Self.accounts) { server in
            try await ReferralCommandsEndToEndTests.seed(server)
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let opened = try await client.request(
                    "CASE NEW "
                        + #"{"ref":"ref-later","age":30,"sex":"male","nationality":"VE","current_country":"CO"}"#)
                #expect(opened.code == 250, "\(opened.text)")
                let need = try #require(
                    ReferralCommandsEndToEndTests.field("need", try await client.request("NEED ADD 2 LP-ND")))
                #expect(try await client.request("REFER 2 \(need) 1 consent=yes").code == 250)  // referral 1
                #expect(try await client.request("PERSON SET 2 name=\"Luis Later\" phone=\"+57 320 5555\"").code == 250)
            }
            let shown = try await Self.contact(server, as: "cw-c", referral: 1)
            #expect(shown == ["contact: none recorded"], "\(shown)")
        }
    }
}
