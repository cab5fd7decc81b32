import Foundation
import PassageConsole
import PassageCore
import Postgres
import Testing

@Suite("Case commands end to end over TCP and PostgreSQL")
struct CaseCommandsEndToEndTests {
    static let refugee = #"{"ref":"e2e-1","age":30,"nationality":"SY","current_country":"DE","asylum":"applied"}"#

    @Test("CASE NEW, SHOW, SET, LIST and OVERRIDE with their success and failure codes")
    func lifecycle() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let created = try await client.request("CASE NEW " + Self.refugee)
                #expect(created.code == 250)
                #expect(created.text.contains("version=1") && created.text.contains("primary=refugee_asylum"))
                let id = try #require(created.text.split(separator: " ").first { $0.hasPrefix("case=") }?.dropFirst(5))

                let shown = try await client.request("CASE SHOW \(id)")
                #expect(shown.code == 250)
                let expectedLine = Classifier().classify(try CaseFacts.decode(jsonLine: Self.refugee)).resultJSON
                #expect(shown.data.contains("classification: " + expectedLine))

                let changed = try await client.request("CASE SET \(id) version=1 asylum=recognized")
                #expect(changed.code == 250 && changed.text.contains("version=2"))
                #expect(try await client.request("CASE SET \(id) version=1 asylum=rejected").code == 551)
                #expect(try await client.request("CASE SET \(id) version=2 age=abc").code == 501)
                #expect(try await client.request("CASE SHOW 999999").code == 550)
                #expect(try await client.request(#"CASE NEW {"ref":"e2e-2","current_country":"XX"}"#).code == 501)
                #expect(try await client.request("CASE NEW " + Self.refugee).code == 551)  // same ref again
                #expect(try await client.request("CASE OVERRIDE \(id) trafficked reason=\"found later\"").code == 530)

                let listed = try await client.request("CASE LIST category=refugee_asylum")
                #expect(listed.code == 250 && listed.data.count == 2)  // header + one case

            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let overridden = try await client.request(
                    "CASE OVERRIDE 1 trafficked reason=\"interview showed coercion\"")
                #expect(overridden.code == 250 && overridden.text.contains("primary=trafficked"))
                let shown = try await client.request("CASE SHOW 1")
                #expect(shown.data.contains { $0.contains("override → trafficked: interview showed coercion") })
                #expect(shown.data.contains { $0.contains("rule \(Classifier.version) → refugee_asylum") })
                #expect(try await client.request("CASE OVERRIDE 1 tourist reason=x").code == 501)
                #expect(try await client.request("CASE OVERRIDE 1 idp").code == 501)  // reason is required
            }
            // Another organisation's caseworker: not found, and nothing in the list.
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE SHOW 1").code == 550)
                #expect(try await client.request("CASE SET 1 version=2 age=3").code == 550)
                let listed = try await client.request("CASE LIST")
                #expect(listed.code == 250 && listed.data.count == 1)  // header only
            }
        }
    }

    @Test("every case read and change is in the audit chain, which verifies")
    func auditTrail() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                _ = try await client.request("CASE NEW " + Self.refugee)
                _ = try await client.request("CASE SHOW 1")
                _ = try await client.request("CASE SET 1 version=1 age=31")
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 10")
                let actions = tail.data.dropFirst().compactMap {
                    $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first
                }
                #expect(
                    actions.contains("case.create") && actions.contains("case.read") && actions.contains("case.update"))
                let verified = try await client.request("AUDIT VERIFY")
                #expect(verified.code == 250)
                // Admins manage users and audit but never read case contents.
                #expect(try await client.request("CASE SHOW 1").code == 530)
            }
        }
    }

    @Test("five wrong passwords from an address throttle that name there; it opens again after the delay")
    func throttle() async throws {
        try await LiveServer.with(throttle: .init(freeFailuresPerUserAndAddress: 5, firstDelay: .seconds(2))) {
            server in
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                for _ in 0..<6 {
                    #expect(try await client.request("AUTH cw wrong-password").code == 515)
                }
                #expect(try await client.request("AUTH cw \(LiveServer.password("cw"))").code == 515)
                try await Task.sleep(for: .milliseconds(2_300))
                #expect(try await client.request("AUTH cw \(LiveServer.password("cw"))").code == 250)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 20")
                #expect(tail.data.contains { $0.contains("sign_in.throttled") })
                #expect(tail.data.contains { $0.contains("user.sign_in_failed") && $0.contains("wrong password") })
            }
        }
    }

    @Test("administrators manage users from the console")
    func userAdministration() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("USER ADD newbie caseworker \"a fine password\" org=ngo-a").code == 250)
                #expect(try await client.request("USER ADD newbie caseworker \"a fine password\"").code == 551)
                #expect(try await client.request("USER ADD badrole wizard \"a fine password\"").code == 501)
                #expect(try await client.request("USER LOCK newbie").code == 250)
                #expect(try await client.request("USER LOCK nobody").code == 550)
                let listed = try await client.request("USER LIST")
                #expect(listed.data.contains { $0.contains("newbie") && $0.contains("locked") })
            }
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("AUTH newbie \"a fine password\"").code == 515)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("USER UNLOCK newbie").code == 250)
                #expect(try await client.request("USER PASSWD newbie \"another fine one\"").code == 250)
            }
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("AUTH newbie \"another fine one\"").code == 250)
                #expect(try await client.request("WHOAMI").text.contains("role=caseworker"))
            }
        }
    }

    @Test("personal details: recorded encrypted, shown to the owning organisation, every read audited")
    func personalDetails() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                _ = try await client.request("CASE NEW " + Self.refugee)
                #expect(try await client.request("PERSON SHOW 1").code == 550)  // none recorded yet
                #expect(try await client.request("PERSON SET 1").code == 501)
                #expect(try await client.request("PERSON SET 1 dob=1990-02-30").code == 501)
                #expect(
                    try await client.request("PERSON SET 1 name=\"Amani W.\" dob=1990-02-03 documents=P-1,ID-2").code
                        == 250)
                #expect(try await client.request("PERSON SET 1 phone=+254700000001").code == 250)
                let shown = try await client.request("PERSON SHOW 1")
                #expect(shown.code == 250)
                #expect(shown.data.contains { $0.contains("Amani W.") })
                #expect(shown.data.contains { $0.contains("1990-02-03") })
                #expect(shown.data.contains { $0.contains("+254700000001") })
                #expect(shown.data.contains { $0.contains("P-1, ID-2") })
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PERSON SHOW 1").code == 550)
                #expect(try await client.request("PERSON SET 1 name=x").code == 550)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let tail = try await client.request("AUDIT TAIL 20")
                #expect(tail.data.contains { $0.contains("person.read") && $0.contains("case:1") })
                #expect(!tail.data.contains { $0.contains("Amani") })
            }
            // In the table the identifiers are ciphertext.
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            let raw = try db.query("SELECT identifiers FROM persons")[0].decode([UInt8].self, at: 0)
            #expect(!String(decoding: raw, as: UTF8.self).contains("Amani"))
        }
    }
}
