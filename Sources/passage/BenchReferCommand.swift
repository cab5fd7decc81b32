import ArgumentParser
import Foundation
import PassageConsole

extension Bench {
    /// `passage bench refer`: REFER end to end over the console (parse → transaction with the
    /// referral, its event and its audit entry → reply), one request in flight per connection.
    /// Each request refers a different need (`--first-need` onwards, one need per request) with
    /// its own idempotency key, so every one makes a referral. Prints referrals per second,
    /// counted from the moment every connection has signed in: sign-in (bcrypt, slow by design)
    /// is not part of REFER, as pgbench's rate leaves out connecting.
    struct Refer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "REFER throughput over N console connections.")
        @Option var host = "127.0.0.1"
        @Option var port: Int
        @Option var user: String
        @Option(help: "The user's password (bench databases only).") var password: String
        @Option(help: "Case whose needs are referred.") var `case`: Int
        @Option(help: "Provider referred to.") var provider: Int
        @Option(name: .customLong("first-need"), help: "First need id; request n uses need first-need + n.") var firstNeed: Int
        @Option var connections = 4
        @Option var seconds = 10.0

        func validate() throws {
            guard (1...256).contains(connections), seconds > 0, seconds <= 600 else { throw ValidationError("--connections 1…256, --seconds 0…600") }
        }

        func run() async throws {
            let counter = RequestCounter(first: firstNeed)
            let startLine = StartLine(runners: connections)
            let (made, failed) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<connections {
                    group.addTask { [host, port, user, password, `case`, provider, seconds] in
                        try await ConsoleClient.withConnection(host: host, port: port) { client in
                            let signedIn = (try? await client.request("AUTH \(user) \(password)").code) == 250
                            let start = await startLine.arrive()  // also when sign-in failed, so nobody waits forever
                            guard signedIn else { throw ValidationError("AUTH failed") }
                            let deadline = start + .nanoseconds(Int64(seconds * 1e9))
                            var made = 0, failed = 0
                            while ContinuousClock.now < deadline {
                                let need = counter.next()
                                let reply = try await client.request("REFER \(`case`) \(need) \(provider) consent=yes priority=urgent key=b\(need)")
                                if reply.code == 250 { made += 1 } else {
                                    failed += 1
                                    if failed == 1 { FileHandle.standardError.write(Data("REFER need \(need): \(reply.code) \(reply.text)\n".utf8)) }
                                }
                            }
                            return (made, failed)
                        }
                    }
                }
                return try await group.reduce(into: (0, 0)) { $0.0 += $1.0; $0.1 += $1.1 }
            }
            let elapsed = ContinuousClock.now - (await startLine.start ?? ContinuousClock.now)
            let measured = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if failed > 0 { FileHandle.standardError.write(Data("\(failed) REFER(s) failed\n".utf8)) }
            print(String(format: "%.0f", Double(made) / measured))
        }
    }
}

/// Holds every connection until all have signed in, then lets them go at one instant.
private actor StartLine {
    private let runners: Int
    private var waiting: [CheckedContinuation<ContinuousClock.Instant, Never>] = []
    private(set) var start: ContinuousClock.Instant?

    init(runners: Int) { self.runners = runners }

    func arrive() async -> ContinuousClock.Instant {
        if let start { return start }
        return await withCheckedContinuation { continuation in
            waiting.append(continuation)
            guard waiting.count == runners else { return }
            let now = ContinuousClock.now
            start = now
            for runner in waiting { runner.resume(returning: now) }
            waiting.removeAll()
        }
    }
}

/// Hands out need ids to the connections, one per request.
private final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int
    init(first: Int) { value = first }
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
