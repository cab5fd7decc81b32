import NIOCore
import Testing

@testable import PassageConsole

/// PING has two paths behind one switch, `ConsoleConfiguration.pingOnEventLoop`: answered on the
/// connection's event loop when no reply is owed (`EventLoopPingHandler`), or always by the
/// command table. Every test here runs on both sides of the switch and expects the same bytes,
/// the same order and the same format rules.
@Suite(.timeLimit(.minutes(1))) struct PingPathTests {
    static let bothPaths = [true, false]

    private func configuration(pingOnEventLoop: Bool, idleTimeout: Duration = .seconds(15 * 60)) -> ConsoleConfiguration
    {
        ConsoleConfiguration(port: 0, idleTimeout: idleTimeout, pingOnEventLoop: pingOnEventLoop)
    }

    private func count(_ text: String) -> Int? {
        EventLoopPingHandler.pingCount(ByteBuffer(string: text).readableBytesView)
    }

    @Test func onlyWholeChunksOfPingLinesQualifyForTheEventLoop() {
        #expect(count("PING\r\n") == 1)
        #expect(count("ping\nPiNg\r\n\n") == 2)
        #expect(count("\r\n\n") == 0)
        #expect(count("PING") == nil)  // partial line: the framer must see it
        #expect(count("PING\r") == nil)
        #expect(count("PING x\n") == nil)  // an argument: the table answers 501
        #expect(count("PINGS\n") == nil)
        #expect(count("PIN\n") == nil)
        #expect(count("PONG\n") == nil)
        #expect(count("\rPING\n") == nil)
        #expect(count("PING\nWHOAMI\n") == nil)  // mixed: the whole chunk goes the ordinary way
        #expect(count("P\u{0}NG\n") == nil)
    }

    @Test func theEventLoopWritesTheTablesReply() {
        #expect(EventLoopPingHandler.pong == ReplyWriter.render(BuiltinCommands.pong, format: .text))
        #expect(EventLoopPingHandler.pong == "250 PONG\r\n")
    }

    @Test(arguments: bothPaths) func theReplyBytesAreTheSameOnBothPaths(pingOnEventLoop: Bool) async throws {
        try await withServer(configuration(pingOnEventLoop: pingOnEventLoop)) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("PING\r\n")
                #expect(try await client.readBytes(10) == Array("250 PONG\r\n".utf8))
                // Any case, bare line feeds and empty lines: one CRLF-ended PONG per PING, nothing else.
                try await client.send("ping\nPiNg\r\n\r\n\n")
                #expect(try await client.readBytes(20) == Array("250 PONG\r\n250 PONG\r\n".utf8))
                // An argument is the table's 501 on both sides.
                try await client.send("PING now\r\n")
                let refused = try #require(try await client.readLine())
                #expect(refused.hasPrefix("501 "))
                try await client.send("PING\r\n")
                #expect(try await client.readBytes(10) == Array("250 PONG\r\n".utf8))
            }
        }
    }

    @Test(arguments: bothPaths) func aPingSentWhileACommandIsInFlightIsAnsweredAfterIt(pingOnEventLoop: Bool)
        async throws
    {
        let gate = Gate()
        let services = FakeServices.caseListHeld(at: gate)
        try await withServer(configuration(pingOnEventLoop: pingOnEventLoop), services: services) { server in
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
                // CASE LIST's reply first (whatever its fields), then the PONGs.
                let listed = try #require(try await client.final())
                #expect(listed.hasPrefix("250 ") && listed != "250 PONG")
                for _ in 0..<3 { #expect(try await client.readLine() == "250 PONG") }
                // Nothing owed now (with the switch on, these take the event-loop path): still in order.
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

    @Test(arguments: bothPaths) func aJSONConnectionGetsAJSONPong(pingOnEventLoop: Bool) async throws {
        try await withServer(configuration(pingOnEventLoop: pingOnEventLoop)) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("AUTH cara \"c0rrect horse\"\r\n")
                #expect(try await client.final()?.hasPrefix("250 signed in") == true)
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
                try await client.send("FORMAT json\r\n")
                #expect(try await client.readLine() == "250 {\"format\":\"json\"}")
                try await client.send("PING\r\n")
                let jsonPong = Array("250 {\"message\":\"PONG\"}\r\n".utf8)
                #expect(try await client.readBytes(jsonPong.count) == jsonPong)
                try await client.send("FORMAT text\r\nPING\r\n")
                _ = try await client.readLine()
                #expect(try await client.readLine() == "250 PONG")
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test(arguments: bothPaths) func pingsAreActivityForTheIdleTimeout(pingOnEventLoop: Bool) async throws {
        try await withServer(configuration(pingOnEventLoop: pingOnEventLoop, idleTimeout: .seconds(2))) { server in
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

    @Test(arguments: bothPaths) func pingsSentWithoutReadingAllGetTheirReply(pingOnEventLoop: Bool) async throws {
        try await withServer(configuration(pingOnEventLoop: pingOnEventLoop)) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                let count = 20_000
                // Sent in one write while we do not read: the server must slow us, not drop lines.
                let writer = client.outbound
                async let sent: Void = writer.write(ByteBuffer(string: String(repeating: "PING\r\n", count: count)))
                var pongs = 0
                for _ in 0..<count where try await client.readLine() == "250 PONG" { pongs += 1 }
                try await sent
                #expect(pongs == count)
            }
        }
    }
}
