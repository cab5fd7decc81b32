import PassageConsole
import Testing

/// `HEALTH` on a real server over a migrated database (LiveServer); the not-ready side is in
/// DatabaseOutageTests, which stops the database.
@Suite("HEALTH command")
struct HealthCommandTests {
    @Test("HEALTH needs a signed-in user and then answers ready, one line per check")
    func readyAfterSignIn() async throws {
        try await LiveServer.with { server in
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                // Before AUTH only PING, AUTH, HELP and QUIT are answered (contract).
                #expect(try await client.request("HEALTH").code == 514)
                #expect(try await client.request("AUTH an \(LiveServer.password("an"))").code == 250)
                let reply = try await client.request("HEALTH")
                #expect(reply.code == 250)
                #expect(reply.text == "ready")
                #expect(reply.info.count == 2)
                #expect(reply.info.first == "database ok")
                #expect(reply.info.last?.hasPrefix("migrations ok (schema ") == true)
                #expect(try await client.request("FORMAT json").code == 250)
                let json = try await client.request("HEALTH")
                #expect(json.code == 250)
                #expect(json.info.first == #"{"info":"database ok"}"#)
            }
        }
    }
}
