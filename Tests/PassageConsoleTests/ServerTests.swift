import Logging
import NIOCore
import PassageCore
import PassageServices
import Testing

@testable import PassageConsole

/// Runs a console server on a free port for the duration of `body`, then shuts it down and
/// waits until it stopped.
func withServer<T>(
    _ configuration: ConsoleConfiguration = ConsoleConfiguration(port: 0),
    services: ApplicationServices = FakeServices.echoing(),
    _ body: (ConsoleServer) async throws -> T
) async throws -> T {
    try await withServer(configuration, commands: ConsoleCommands.table(services), body)
}

/// `withServer` with a command table of the test's own.
func withServer<T>(
    _ configuration: ConsoleConfiguration = ConsoleConfiguration(port: 0),
    commands: CommandTable,
    _ body: (ConsoleServer) async throws -> T
) async throws -> T {
    let server = try await ConsoleServer.bind(configuration: configuration, commands: commands)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            let result = try await body(server)
            server.shutdown()
            try await group.waitForAll()
            return result
        } catch {
            server.shutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct ServerTests {
    private let greeting = "220 passage \(PassageVersion.current) ready"

    @Test func greetsAndAnswersPing() async throws {
        try await withServer { server in
            #expect(server.port > 0)
            try await TestClient.with(port: server.port) { client in
                #expect(try await client.readLine() == greeting)
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test func quitSays221AndCloses() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("QUIT\r\nPING\r\n")
                #expect(try await client.readLine()?.hasPrefix("221 ") == true)
                #expect(try await client.readLine() == nil)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWithLFOrCRLF() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("PING\nFROB\r\nWHOAMI\n\nHELP PING\r\nPING\r\n")
                #expect(try await client.final() == "250 PONG")
                #expect(try await client.final()?.hasPrefix("510 ") == true)
                #expect(try await client.final()?.hasPrefix("514 ") == true)
                let help = try await client.readReply()
                #expect(help.first == "250+PING" && help.contains("usage: PING"))
                #expect(try await client.final() == "250 PONG")
            }
        }
    }

    @Test func aClientThatStopsSendingStillGetsEveryReply() async throws {
        let gate = Gate()
        let services = FakeServices.caseListHeld(at: gate)
        try await withServer(services: services) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("AUTH cara \"c0rrect horse\"\r\nCASE LIST\r\nPING\r\n")
                client.finishSending()
                #expect(try await client.final()?.hasPrefix("250 signed in") == true)
                await gate.waitForArrival()
                // Give the server time to see our end of input while the command is still running
                // (the assertion below holds either way; this makes the interesting order likely).
                try await Task.sleep(for: .milliseconds(50))
                await gate.release()
                #expect(try await client.final() == "250 1 row")  // CASE LIST's one case
                #expect(try await client.readLine() == "250 PONG")
                #expect(try await client.readLine() == nil)
            }
        }
    }

    @Test func manyPipelinedCommandsAllGetTheirReply() async throws {
        try await withServer { server in
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

    @Test func overlongLineGets500AndTheConnectionStaysUsable() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send(
                    bytes: [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20) + Array("\r\nPING\r\n".utf8))
                #expect(try await client.readLine() == "500 line too long (limit 8192 bytes)")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test func invalidUTF8AndNULGet500() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send(bytes: [0x50, 0xFF, 0x0D, 0x0A, 0x50, 0x00, 0x0A] + Array("PING\n".utf8))
                #expect(try await client.readLine() == "500 line is not valid UTF-8")
                #expect(try await client.readLine() == "500 line contains a NUL byte")
                #expect(try await client.readLine() == "250 PONG")
            }
        }
    }

    @Test func authenticationIsRequiredAndUnknownCommandsAre510() async throws {
        try await withServer(commands: FakeServices.tableWithDottedLines()) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send(
                    "CASE SHOW 1\r\nBOGUS\r\nAUTH local local\r\nAUTH cara \"c0rrect horse\"\r\nDOTS\r\n")
                #expect(try await client.final()?.hasPrefix("514 ") == true)
                #expect(try await client.final() == "510 unknown command BOGUS")
                // The authenticator sees the peer's address.
                #expect(try await client.final()?.hasPrefix("250 signed in user=local role=policy") == true)
                #expect(try await client.final()?.hasPrefix("250 signed in user=cara role=caseworker") == true)
                // The data block's line starting with "." arrives dot-stuffed.
                #expect(
                    try await client.readReply() == [
                        "250+dots", "..hidden starts with a dot", "plain", ".", "250 2 lines",
                    ])
            }
        }
    }

    @Test func helpListsEveryCommand() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("HELP\r\n")
                let reply = try await client.readReply()
                #expect(reply.first == "250+commands")
                for name in ["PING", "AUTH", "CASE NEW", "REFERRAL SET", "AUDIT VERIFY", "USER UNLOCK"] {
                    #expect(reply.contains { $0.hasPrefix(name + " ") || $0 == name }, "\(name)")
                }
            }
        }
    }

    @Test func formatJsonOverTCP() async throws {
        try await withServer { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send(
                    "AUTH cara \"c0rrect horse\"\r\nFORMAT json\r\nWHOAMI\r\nNEED ADD 1 XX priority=soon\r\n")
                _ = try await client.final()
                #expect(try await client.final() == #"250 {"format":"json"}"#)
                #expect(
                    try await client.final() == #"250 {"user":"cara","role":"caseworker","organisation":"Red Cross"}"#)
                #expect(
                    try await client.final()
                        == #"501 {"error":"priority: expected one of emergency, urgent, normal (got \"soon\")"}"#)
            }
        }
    }

    @Test func connectionsBeyondTheLimitGet421() async throws {
        // The limits on connections not signed in as high as the limit: this is about the limit.
        try await withServer(ConsoleConfiguration(port: 0, maxConnections: 2, maxUnauthenticated: 2)) { server in
            try await TestClient.with(port: server.port) { first in
                #expect(try await first.readLine() == greeting)
                try await TestClient.with(port: server.port) { second in
                    #expect(try await second.readLine() == greeting)
                    try await TestClient.with(port: server.port) { (third: TestClient) async throws in
                        #expect(try await third.readLine() == "421 too many connections")
                        #expect(try await third.readLine() == nil)
                    }
                    try await second.send("PING\r\n")
                    #expect(try await second.readLine() == "250 PONG")
                }
            }
        }
    }

    @Test func idleConnectionsGet421AndAreClosed() async throws {
        try await withServer(ConsoleConfiguration(port: 0, idleTimeout: .milliseconds(200))) { server in
            try await TestClient.with(port: server.port) { (client: TestClient) async throws in
                // Only the order is asserted, never how soon: on a loaded machine the timeout may
                // expire before any command could be sent. (That activity restarts the clock is
                // tested without sockets in ConnectionStateTests.)
                #expect(try await client.readLine() == greeting)
                #expect(try await client.readLine() == "421 idle timeout")
                #expect(try await client.readLine() == nil)
            }
        }
    }

    @Test func shutdownTellsIdleClientsAndStops() async throws {
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0),
            commands: ConsoleCommands.table(FakeServices.echoing()))
        async let running: Void = server.run()
        try await TestClient.with(port: server.port) { client in
            #expect(try await client.readLine() == greeting)
            try await client.send("PING\r\n")
            #expect(try await client.readLine() == "250 PONG")
            server.shutdown()
            #expect(try await client.readLine() == "421 shutting down")
            #expect(try await client.readLine() == nil)
        }
        try await running
        #expect(await server.connectionCount == 0)
    }

    @Test func shutdownLetsACommandInFlightFinish() async throws {
        let gate = Gate()
        let services = FakeServices.caseListHeld(at: gate)
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0),
            commands: ConsoleCommands.table(services))
        async let running: Void = server.run()
        try await TestClient.with(port: server.port) { client in
            _ = try await client.readLine()
            try await client.send("AUTH cara \"c0rrect horse\"\r\nCASE LIST\r\n")
            _ = try await client.final()
            await gate.waitForArrival()
            server.shutdown()
            await gate.release()
            #expect(try await client.final() == "250 1 row")  // CASE LIST's one case
            #expect(try await client.readLine() == "421 shutting down")
            #expect(try await client.readLine() == nil)
        }
        try await running
    }
}

/// Lets a test hold a handler mid-command.
actor Gate {
    private var arrived = false
    private var released = false
    private var arrivalWaiters: [CheckedContinuation<Void, Never>] = []
    private var releaseWaiters: [CheckedContinuation<Void, Never>] = []

    func arrive() {
        arrived = true
        arrivalWaiters.forEach { $0.resume() }
        arrivalWaiters = []
    }

    func waitForArrival() async {
        if arrived { return }
        await withCheckedContinuation { arrivalWaiters.append($0) }
    }

    func release() {
        released = true
        releaseWaiters.forEach { $0.resume() }
        releaseWaiters = []
    }

    func waitForRelease() async {
        if released { return }
        await withCheckedContinuation { releaseWaiters.append($0) }
    }
}
