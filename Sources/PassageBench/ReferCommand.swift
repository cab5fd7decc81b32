import ArgumentParser
import Foundation
import PassageConsole

/// `passage-bench refer`: REFER end to end over the console (parse → transaction with the
/// referral, its event and its audit entry → reply), one request in flight per connection.
/// Each request refers a different need, drawn in random order from `--need-span` needs from
/// `--first-need` on, with a random idempotency key, so every one makes a referral. Random,
/// as the pgbench script draws its need and key (`random()`): in id order, the four
/// connections' inserts all landed on the same last pages of the referrals' indexes, a
/// contention pgbench's side never had. Prints referrals per second,
/// counted from the moment every connection has signed in: sign-in (bcrypt, slow by design)
/// is not part of REFER, as pgbench's rate leaves out connecting.
struct ReferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refer", abstract: "REFER throughput over N console connections.")
    @Option var host = "127.0.0.1"
    @Option var port: Int
    @Option var user: String
    @Option(help: "The user's password (bench databases only).") var password: String
    @Option(help: "Case whose needs are referred.") var `case`: Int
    @Option(help: "Provider referred to.") var provider: Int
    @Option(name: .customLong("first-need"), help: "First need id of the span referred.") var firstNeed: Int
    @Option(name: .customLong("need-span"), help: "Needs from --first-need on, referred in random order, each once.")
    var needSpan = 20_000
    @Option var connections = 4
    @Option var seconds = 10.0

    func validate() throws {
        guard (1...256).contains(connections), seconds > 0, seconds <= 600 else {
            throw ValidationError("--connections 1…256, --seconds 0…600")
        }
        guard (1...10_000_000).contains(needSpan) else { throw ValidationError("--need-span 1…10000000") }
    }

    func run() async throws {
        let counter = RequestCounter(first: firstNeed, span: needSpan)
        let gate = StartGate(runners: connections)
        let tally = Tally()
        let done = DispatchGroup()
        // One thread per connection, blocking on its socket, as pgbench's clients do: see
        // LineClient for why not the NIO console client.
        for _ in 0..<connections {
            done.enter()
            let thread = Thread { [host, port, user, password, `case`, provider, seconds] in
                defer { done.leave() }
                var client: LineClient?
                do {
                    let opened = try LineClient(host: host, port: port)
                    client = try opened.request("AUTH \(user) \(password)").code == 250 ? opened : nil
                } catch {
                    tally.fail("connect: \(error)")
                }
                let start = gate.arrive()  // also when sign-in failed, so nobody waits forever
                guard let client else { return tally.fail("AUTH failed") }
                let deadline = start + .nanoseconds(Int64(seconds * 1e9))
                var made = 0
                var failed = 0
                while ContinuousClock.now < deadline {
                    guard let need = counter.next() else {
                        tally.fail("all \(needSpan) needs of --need-span were referred before the time was up")
                        break
                    }
                    do {
                        let key = UInt64.random(in: 1...1_000_000_000_000)
                        let reply = try client.request(
                            "REFER \(`case`) \(need) \(provider) consent=yes priority=urgent key=b\(key)")
                        if reply.code == 250 {
                            made += 1
                        } else {
                            failed += 1
                            if failed == 1 { tally.note("REFER need \(need): \(reply.code) \(reply.text)") }
                        }
                    } catch {
                        tally.fail("REFER need \(need): \(error)")
                        break
                    }
                }
                tally.add(made: made, failed: failed)
            }
            thread.start()
        }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        let elapsed = ContinuousClock.now - (gate.start ?? ContinuousClock.now)
        let measured = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let (made, failed, errors) = tally.totals
        for error in errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
        if failed > 0 { FileHandle.standardError.write(Data("\(failed) REFER(s) failed\n".utf8)) }
        guard made > 0 || errors.isEmpty else { throw ExitCode.failure }
        print(String(format: "%.0f", Double(made) / measured))
    }
}

/// Holds every connection until all have signed in, then lets them go at one instant.
final class StartGate: @unchecked Sendable {
    private let condition = NSCondition()
    private let runners: Int
    private var arrived = 0
    private var opened: ContinuousClock.Instant?

    init(runners: Int) { self.runners = runners }

    var start: ContinuousClock.Instant? { condition.withLock { opened } }

    func arrive() -> ContinuousClock.Instant {
        condition.withLock {
            arrived += 1
            if arrived == runners {
                opened = ContinuousClock.now
                condition.broadcast()
            }
            while opened == nil { condition.wait() }
            return opened!
        }
    }
}

/// What the connections made, failed and reported.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var made = 0, failed = 0
    private var errors: [String] = []
    func add(made: Int, failed: Int) {
        lock.withLock {
            self.made += made
            self.failed += failed
        }
    }
    func note(_ message: String) { lock.withLock { errors.append(message) } }
    func fail(_ message: String) { note(message) }
    var totals: (Int, Int, [String]) { lock.withLock { (made, failed, errors) } }
}

/// Hands out need ids to the connections, one per request: each need of the span once, in
/// random order; nil when all are used.
private final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var needs: [Int]
    init(first: Int, span: Int) { needs = Array(first..<first + span).shuffled() }
    func next() -> Int? { lock.withLock { needs.popLast() } }
}
