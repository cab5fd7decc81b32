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
        let (`case`, provider, needSpan) = (self.case, self.provider, self.needSpan)
        let rate = try await ConsoleLoad(
            host: host, port: port, user: user, password: password, connections: connections, seconds: seconds
        ).run(label: "REFER") { () -> ConsoleLoad.Next in
            guard let need = counter.next() else {
                return .stop("all \(needSpan) needs of --need-span were referred before the time was up")
            }
            let key = UInt64.random(in: 1...1_000_000_000_000)
            return .send("REFER \(`case`) \(need) \(provider) consent=yes priority=urgent key=b\(key)")
        }
        print(String(format: "%.0f", rate))
    }
}

/// Hands out need ids to the connections, one per request: each need of the span once, in
/// random order; nil when all are used.
private final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var needs: [Int]
    init(first: Int, span: Int) { needs = Array(first..<first + span).shuffled() }
    func next() -> Int? { lock.withLock { needs.popLast() } }
}
