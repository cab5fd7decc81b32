import NIOCore
import Testing
@testable import PassageConsole

/// PING answered on the event loop must be indistinguishable from PING answered by the
/// command table: same bytes, same order, same format rules.
@Suite(.timeLimit(.minutes(1))) struct EventLoopPingTests {
    private func count(_ text: String) -> Int? {
        EventLoopPingHandler.pingCount(ByteBuffer(string: text).readableBytesView)
    }

    @Test func onlyWholeChunksOfPingLinesQualify() {
        #expect(count("PING\r\n") == 1)
        #expect(count("ping\nPiNg\r\n\n") == 2)
        #expect(count("\r\n\n") == 0)
        #expect(count("PING") == nil)            // partial line: the framer must see it
        #expect(count("PING\r") == nil)
        #expect(count("PING x\n") == nil)        // an argument: the table answers 501
        #expect(count("PINGS\n") == nil)
        #expect(count("PIN\n") == nil)
        #expect(count("PONG\n") == nil)
        #expect(count("\rPING\n") == nil)
        #expect(count("PING\nWHOAMI\n") == nil)  // mixed: the whole chunk goes the ordinary way
        #expect(count("P\u{0}NG\n") == nil)
    }

    @Test func aPingSentWhileACommandIsInFlightIsAnsweredAfterIt() async throws {
        let gate = Gate()
        let services = FakeServices.caseListHeld(at: gate)
        try await withServer(services: services) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("AUTH cara \"c0rrect horse\"\r\n")
                #expect(try await client.final()?.hasPrefix("250 signed in") == true)
                try await client.send("CASE LIST\r\n")
                await gate.waitForArrival()
                // Separate writes: each PING arrives as its own chunk while CASE LIST is owed.
                for _ in 0..<3 {
                    try await client.send("PING\r\n")
                    try await Task.sleep(for: .milliseconds(10))
                }
                await gate.release()
                #expect(try await client.final()?.hasPrefix("250 command=\"CASE LIST\"") == true)
                for _ in 0..<3 { #expect(try await client.readLine() == "250 PONG") }
                // Nothing owed now: these take the event-loop path, and still come in order.
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
                try await client.send("WHOAMI\r\n")
                #expect(try await client.final()?.hasPrefix("250 ") == true)
                try await client.send("PING\r\nPING\r\n")
                #expect(try await client.readLine() == "250 PONG")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test func aJSONConnectionGetsItsPingFromTheCommandTable() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("AUTH cara \"c0rrect horse\"\r\n")
                #expect(try await client.final()?.hasPrefix("250 signed in") == true)
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
                try await client.send("FORMAT json\r\n")
                #expect(try await client.readLine() == "250 {\"format\":\"json\"}")
                try await client.send("PING\r\n")
                let json = try #require(try await client.readLine())
                #expect(json.hasPrefix("250 {") && json.contains("PONG"))
                try await client.send("FORMAT text\r\nPING\r\n")
                _ = try await client.readLine()
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test func pingsAreActivityForTheIdleTimeout() async throws {
        let configuration = ConsoleConfiguration(port: 0, idleTimeout: .seconds(2))
        try await withServer(configuration) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                // Keep pinging for well over the timeout; the connection must stay open.
                for _ in 0..<16 {
                    try await Task.sleep(for: .milliseconds(250))
                    try await client.send("PING\r\n")
                    #expect(try await client.readLine() == "250 PONG")
                }
                // Then fall silent: the timeout closes it.
                #expect(try await client.readLine() == "421 idle timeout")
                #expect(try await client.readLine() == nil)
            }
        }
    }
}
