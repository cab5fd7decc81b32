import Foundation
import PassageConsole
import PassageCore
import Testing

/// `PERSON ERASE` and `ORG RETENTION` over TCP against the real server (Docs/case-life.md
/// "Retention and erasure by crypto-shredding"), with the keyring the live server runs with.
@Suite("Erasure commands end to end")
struct ErasureCommandsEndToEndTests {
    @Test(
        "a supervisor erases a closed case's person: PERSON SHOW then says erased, CASE SHOW still works; the administrator sets the retention period"
    )
    func eraseAndRetention() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"CASE NEW {"ref":"er-1","current_country":"KE","age":30}"#).code == 250)
                #expect(try await client.request(#"PERSON SET 1 name="Erin Example" phone=+254700000001"#).code == 250)
                // Open: not erased.
                #expect(try await client.request("CASE CLOSE 1 moved").code == 250)
                #expect(try await client.request("PERSON ERASE 1 request").code == 530)
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                let erased = try await client.request("PERSON ERASE 1 request")
                #expect(erased.code == 250, "\(erased.text)")
                #expect(erased.text.contains("case=1") && erased.text.contains("persons=1"))
                #expect(erased.text.contains("personal details erased"))
                let show = try await client.request("PERSON SHOW 1")
                #expect(show.code == 551 && show.text.contains("were erased"), "\(show.text)")
                #expect(!show.text.contains("Erin"))
                #expect(try await client.request("CASE SHOW 1").code == 250)
                #expect(try await client.request("PERSON ERASE 1 request").code == 551)
                #expect(try await client.request("PERSON ERASE 1 forgotten").code == 501)
                #expect(try await client.request("ORG RETENTION 12").code == 530)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                let set = try await client.request("ORG RETENTION 24")
                #expect(set.code == 250 && set.text.contains("months=24"), "\(set.text)")
                #expect(try await client.request("ORG RETENTION 0").code == 501)
                #expect(try await client.request("ORG RETENTION off").code == 250)
            }
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo, "SELECT count(*) FROM audit_log WHERE action = 'person.erased' AND detail = 'reason=request'")
                    == 1)
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo, "SELECT count(*) FROM audit_log WHERE action = 'organisation.retention'") == 2)
        }
    }
}
