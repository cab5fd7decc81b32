import Foundation
import NIOCore
import PassageCore
import Testing

@testable import PassageConsole
@testable import PassageServices

/// Issue 16, item 3: what a connection that has not signed in may hold.
@Suite("Unauthenticated connections: deadlines and caps", .timeLimit(.minutes(1)))
struct UnauthenticatedConnectionTests {
    @Test("an idle connection that never signs in is closed with a final line at the sign-in deadline, PINGs or not")
    func signInDeadline() async throws {
        try await withServer(ConsoleConfiguration(port: 0, signInTimeout: .seconds(1))) { server in
            try await TestClient.with(port: server.port) { (client: TestClient) async throws -> Void in
                #expect(try await client.readLine()?.hasPrefix("220 ") == true)
                // Talking does not extend it (one PING every 14 minutes kept a socket before).
                try await client.send("PING\r\n")
                #expect(try await client.readLine() == "250 PONG")
                try await client.send("AUTH cara wrong\r\n")
                #expect(try await client.final()?.hasPrefix("515 ") == true)
                #expect(try await client.readLine() == "421 sign-in deadline: no successful AUTH within 1 s")
                #expect(try await client.readLine() == nil)
            }
            // A connection that signs in in time stays.
            try await TestClient.with(port: server.port) { (client: TestClient) async throws -> Void in
                _ = try await client.readLine()
                try await client.send("AUTH cara \"c0rrect horse\"\r\n")
                #expect(try await client.final()?.hasPrefix("250 ") == true)
                try await Task.sleep(for: .milliseconds(1_500))
                try await client.send("WHOAMI\r\n")
                #expect(try await client.final()?.hasPrefix("250 ") == true)
            }
        }
    }

    @Test(
        "past the per-network cap a new connection is refused with a clear line; a signed-in user keeps working, and signing in frees a place"
    )
    func perNetworkCap() async throws {
        let configuration = ConsoleConfiguration(port: 0, maxConnections: 10, maxUnauthenticatedPerNetwork: 3)
        try await withServer(configuration) { server in
            try await TestClient.with(port: server.port) { (user: TestClient) async throws -> Void in
                _ = try await user.readLine()
                try await user.send("AUTH cara \"c0rrect horse\"\r\n")
                #expect(try await user.final()?.hasPrefix("250 ") == true)
                try await TestClient.with(port: server.port) { (idle1: TestClient) async throws -> Void in
                    try await TestClient.with(port: server.port) { (idle2: TestClient) async throws -> Void in
                        try await TestClient.with(port: server.port) { (idle3: TestClient) async throws -> Void in
                            for idle in [idle1, idle2, idle3] {
                                #expect(try await idle.readLine()?.hasPrefix("220 ") == true)
                            }
                            try await TestClient.with(port: server.port) { (refused: TestClient) async throws -> Void in
                                #expect(try await refused.readLine() == UnauthenticatedConnections.tooManyFromNetwork)
                                #expect(try await refused.readLine() == nil)
                            }
                            // The signed-in user is not held back by them.
                            try await user.send("WHOAMI\r\n")
                            #expect(try await user.final()?.hasPrefix("250 user=cara") == true)
                            // One of the three signs in: its place among the unauthenticated is free again.
                            try await idle3.send("AUTH sam sup\r\n")
                            #expect(try await idle3.final()?.hasPrefix("250 ") == true)
                            try await TestClient.with(port: server.port) {
                                (admitted: TestClient) async throws -> Void in
                                #expect(try await admitted.readLine()?.hasPrefix("220 ") == true)
                            }
                        }
                    }
                }
            }
        }
    }

    @Test(
        "the caps count networks: IPv4 /24, IPv6 /64, loopback as one; unauthenticated connections never fill the whole server"
    )
    func capsByNetwork() async throws {
        let ledger = UnauthenticatedConnections(limit: 6, perNetwork: 2)
        func admit(_ source: String) -> String {
            switch ledger.admit(source: source) {
            case .success: "admitted"
            case .failure(let refusal): refusal.notice
            }
        }
        #expect(admit("192.0.2.1") == "admitted")
        #expect(admit("192.0.2.200") == "admitted")
        #expect(admit("192.0.2.77") == UnauthenticatedConnections.tooManyFromNetwork)
        #expect(admit("192.0.3.1") == "admitted")
        #expect(admit("2001:db8:0:1::1") == "admitted")
        #expect(admit("2001:db8:0:1:8000::1") == "admitted")
        #expect(admit("2001:db8:0:1::2") == UnauthenticatedConnections.tooManyFromNetwork)
        #expect(admit("127.0.0.1") == "admitted")
        // Six unauthenticated in all: the seventh is refused though the server has room.
        #expect(admit("198.51.100.1") == UnauthenticatedConnections.tooMany)
        #expect(ledger.total == 6)
        #expect(ConsoleConfiguration(maxConnections: 256).unauthenticatedLimit == 192)
    }

    @Test("a TCP connection to a TLS console that never sends a ClientHello is closed at the handshake deadline")
    func handshakeDeadline() async throws {
        let files = try await TLSTests.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let tls = try ConsoleTLS.server(certificateFile: files.certificate, keyFile: files.key)
        // The sign-in deadline and the idle timeout are far away: only the handshake deadline can close it.
        let configuration = ConsoleConfiguration(
            port: 0, idleTimeout: .seconds(600), tls: tls,
            signInTimeout: .seconds(600), tlsHandshakeTimeout: .milliseconds(500))
        try await withServer(configuration) { server in
            try await TestClient.with(port: server.port) { (silent: TestClient) async throws -> Void in
                // Nothing is sent. The server's count of open connections shows when it closed it.
                while await server.connectionCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
                var waited = 0
                while await server.connectionCount > 0 && waited < 400 {
                    try await Task.sleep(for: .milliseconds(50))
                    waited += 1
                }
                let closed = await server.connectionCount == 0
                #expect(closed, "the silent connection was still open")
                #expect(try await silent.readLine() == nil)
            }
        }
    }
}

@Suite("Sign-in gate: concurrent password checks and attempts per network")
struct SignInGateTests {
    @Test(
        "attempts per network are budgeted; another network has its own budget; the first refusal of an episode is marked"
    )
    func ratePerNetwork() {
        let gate = SignInGate(limits: SignInLimits(attemptsPerMinutePerNetwork: 3))
        let start = ContinuousClock.now
        #expect(
            (0..<3).map { _ in gate.admit(prefix: "192.0.2.0/24", now: start) } == [.admitted, .admitted, .admitted])
        #expect(gate.admit(prefix: "192.0.2.0/24", now: start) == .overRate(firstRefusal: true))
        #expect(gate.admit(prefix: "192.0.2.0/24", now: start) == .overRate(firstRefusal: false))
        #expect(gate.admit(prefix: "198.51.100.0/24", now: start) == .admitted)
        // Twenty seconds refill one attempt (three a minute).
        #expect(gate.admit(prefix: "192.0.2.0/24", now: start + .seconds(20)) == .admitted)
        #expect(gate.admit(prefix: "192.0.2.0/24", now: start + .seconds(20)) == .overRate(firstRefusal: true))
    }

    @Test("no more checks run at once than allowed; beyond the waiting room an attempt is refused without a check")
    func concurrency() async throws {
        let gate = SignInGate(limits: SignInLimits(concurrentChecks: 1, waitingChecks: 1))
        let (started, startedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let peak = PeakCounter()
        let first = Task {
            try await gate.withCheck {
                await peak.enter()
                startedSignal.yield()
                for await _ in release { break }
                await peak.leave()
                return 1
            }
        }
        var startedIterator = started.makeAsyncIterator()
        await startedIterator.next()
        let second = Task {
            try await gate.withCheck {
                await peak.enter()
                await peak.leave()
                return 2
            }
        }
        // Wait until the second is queued, then a third finds the waiting room full.
        while gate.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let third = try await gate.withCheck { 3 }
        #expect(third == nil)
        releaseSignal.yield()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(await peak.highest == 1)
        #expect(gate.running == 0)
    }

    actor PeakCounter {
        var now = 0
        var highest = 0
        func enter() {
            now += 1
            highest = max(highest, now)
        }
        func leave() { now -= 1 }
    }
}
