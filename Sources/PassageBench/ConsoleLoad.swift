import ArgumentParser
import Foundation

/// N signed-in console connections sending command lines for a time, one request in flight per
/// connection, on one blocking thread each as pgbench's clients do (LineClient says why not the
/// NIO client); counted from the moment every connection has signed in (sign-in is bcrypt, slow
/// by design, and not part of what is measured). Drives `passage-bench refer` and `repeat`.
struct ConsoleLoad {
    let host: String
    let port: Int
    let user: String
    let password: String
    let connections: Int
    let seconds: Double

    /// What a connection sends next.
    enum Next {
        case send(String)
        /// Nothing left to send: the run ends early for this connection, reported as a failure.
        case stop(String)
    }

    /// Runs the load; returns the 250 replies per second. Failures are written to standard
    /// error; none answered at all with errors is a failure exit.
    func run(label: String, next: @escaping @Sendable () -> Next) async throws -> Double {
        let gate = StartGate(runners: connections)
        let tally = Tally()
        let done = DispatchGroup()
        for _ in 0..<connections {
            done.enter()
            let thread = Thread { [host, port, user, password, seconds] in
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
                var answered = 0
                var failed = 0
                sending: while ContinuousClock.now < deadline {
                    let line: String
                    switch next() {
                    case .send(let text): line = text
                    case .stop(let why):
                        tally.fail(why)
                        break sending
                    }
                    do {
                        let reply = try client.request(line)
                        if reply.code == 250 {
                            answered += 1
                        } else {
                            failed += 1
                            if failed == 1 { tally.note("\(line): \(reply.code) \(reply.text)") }
                        }
                    } catch {
                        tally.fail("\(line): \(error)")
                        break sending
                    }
                }
                tally.add(made: answered, failed: failed)
            }
            thread.start()
        }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        let elapsed = ContinuousClock.now - (gate.start ?? ContinuousClock.now)
        let measured = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let (answered, failed, errors) = tally.totals
        for error in errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
        if failed > 0 { FileHandle.standardError.write(Data("\(failed) \(label)(s) failed\n".utf8)) }
        guard answered > 0 || errors.isEmpty else { throw ExitCode.failure }
        return Double(answered) / measured
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
