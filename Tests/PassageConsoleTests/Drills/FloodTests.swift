import Foundation
import NIOCore
import NIOPosix
import PassageConsole
import Testing

/// Connection floods and slow clients (Docs/reliability.md, "Floods"). Memory under a flood is
/// measured on a real `passage serve` by Deploy/drills/flood.sh.
@Suite("Drill: floods")
struct FloodTests {
    @Test(
        "5,000 concurrent connection attempts: exactly the limit is admitted, the rest get 421, signed-in sessions keep working"
    )
    func connectionFlood() async throws {
        let limit = 64
        let sessions = 8
        let attempts = 5_000
        // The connection limit itself: the limits on connections not signed in (all from one
        // network here) are set as high, UnauthenticatedConnectionTests holds those.
        try await LiveServer.with(
            configuration: ConsoleConfiguration(
                port: 0, maxConnections: limit, maxUnauthenticated: limit,
                maxUnauthenticatedPerNetwork: limit)
        ) { server in
            try await Self.withSessions(sessions, server: server) { clients in
                let tally = Tally()
                let gate = Gate()
                let flood = Task {
                    await withTaskGroup(of: Void.self) { group in
                        let inFlight = Permits(128)
                        for _ in 0..<attempts {
                            await inFlight.acquire()
                            group.addTask {
                                await Self.attempt(port: server.port, tally: tally, gate: gate, inFlight: inFlight)
                            }
                        }
                    }
                }
                // Wait (failure guard only) until every attempt has its greeting; admitted ones stay open.
                var settled = false
                for _ in 0..<2_400 where !settled {
                    settled = await tally.total == attempts
                    if !settled { try await Task.sleep(for: .milliseconds(50)) }
                }
                let (admitted, refused, failed, other) = await tally.counts
                let total = await tally.total
                #expect(settled, "attempts still without a greeting: \(attempts - total)")
                #expect(
                    failed == 0 && other.isEmpty,
                    "connection errors: \(failed), unexpected greetings: \(other.prefix(3))")
                #expect(
                    admitted == limit - sessions,
                    "admitted \(admitted) beside \(sessions) sessions with a limit of \(limit)")
                #expect(refused == attempts - (limit - sessions))
                // The sessions that were there before the flood never noticed it.
                for client in clients {
                    #expect(try await client.request("PING").code == 250)
                    #expect(try await client.request("CASE LIST").code == 250)
                }
                await gate.open()
                await flood.value
            }
            // Once the flood is gone, new connections are admitted again.
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PING").code == 250)
            }
        }
    }

    @Test("a slow client sending one byte a second is cut at the idle timeout")
    func slowClient() async throws {
        try await LiveServer.with(configuration: ConsoleConfiguration(port: 0, idleTimeout: .seconds(3))) { server in
            try await TestClient.with(port: server.port) { (client: TestClient) async throws -> Void in
                #expect(try await client.readLine()?.hasPrefix("220 ") == true)
                try await client.send("AUTH cw \(LiveServer.password("cw"))\r\n")
                #expect(try await client.final()?.hasPrefix("250 ") == true)
                let outbound = client.outbound
                let dribble = Task {
                    // One byte a second of a line that never ends; stops when the server has closed.
                    for byte in Array("CASE LIST ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 120) {
                        do { try await outbound.write(ByteBuffer(bytes: [byte])) } catch { return }
                        try? await Task.sleep(for: .seconds(1))
                        if Task.isCancelled { return }
                    }
                }
                #expect(try await client.readLine() == "421 idle timeout")
                #expect(try await client.readLine() == nil)  // and the connection is closed
                dribble.cancel()
                _ = await dribble.value
            }
            // The server is fine afterwards.
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PING").code == 250)
            }
        }
    }

    /// One connection attempt: its greeting decides; an admitted connection is held until `gate` opens.
    static func attempt(port: Int, tally: Tally, gate: Gate, inFlight: Permits) async {
        do {
            try await TestClient.with(port: port) { (client: TestClient) async throws -> Void in
                let greeting = try await client.readLine()
                await inFlight.release()
                if greeting?.hasPrefix("220 ") == true {
                    await tally.record(.admitted)
                    await gate.wait()
                } else if greeting == "421 too many connections" {
                    await tally.record(.refused)
                } else {
                    await tally.record(.other(greeting ?? "(closed without a word)"))
                }
            }
        } catch {
            await inFlight.release()
            await tally.record(.failed)
        }
    }

    static func withSessions<T>(
        _ count: Int, server: LiveServer, _ open: [ConsoleClient] = [],
        _ body: ([ConsoleClient]) async throws -> T
    ) async throws -> T {
        if count == 0 { return try await body(open) }
        return try await server.session(as: "cw") { client in
            try await withSessions(count - 1, server: server, open + [client], body)
        }
    }

    actor Tally {
        enum Outcome {
            case admitted, refused, failed
            case other(String)
        }
        private var admitted = 0, refused = 0, failed = 0
        private var other: [String] = []
        func record(_ outcome: Outcome) {
            switch outcome {
            case .admitted: admitted += 1
            case .refused: refused += 1
            case .failed: failed += 1
            case .other(let line): other.append(line)
            }
        }
        var total: Int { admitted + refused + failed + other.count }
        var counts: (Int, Int, Int, [String]) { (admitted, refused, failed, other) }
    }

    actor Gate {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func open() {
            isOpen = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    /// At most `count` attempts between connect and greeting at a time.
    actor Permits {
        private var available: Int
        private var waiters: [CheckedContinuation<Void, Never>] = []
        init(_ count: Int) { available = count }
        func acquire() async {
            if available > 0 {
                available -= 1
                return
            }
            await withCheckedContinuation { waiters.append($0) }
        }
        func release() {
            if waiters.isEmpty { available += 1 } else { waiters.removeFirst().resume() }
        }
    }
}
