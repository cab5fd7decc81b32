import ArgumentParser
import Foundation
import PassageConsole

/// `passage-bench latency`: one console command's latency, alone or while another process runs
/// (Deploy/bench/gaps.sh, reclassify.sh).
struct LatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract:
            "One console command, signed in, N times in a row after a warm-up; prints p50 and p95 in milliseconds.")
    @Option var host = "127.0.0.1"
    @Option var port: Int
    @Option var user: String
    @Option(help: "Password (benchmark accounts only).") var password: String
    @Option(name: .customLong("command")) var line: String?
    @Option(
        name: .customLong("commands-file"),
        help: "Send this file's lines in turn instead of one --command (e.g. CASE SHOW of many cases, not one hot row)."
    )
    var commandsFile: String?
    @Option var runs = 100
    @Option var warmup = 3
    @Option(help: "Run for this long instead of --runs times (or until --while-pid exits).") var seconds: Double?
    @Option(
        name: .customLong("while-pid"),
        help: "Stop as soon as this process has exited: latency while another command runs.")
    var whilePID: Int32?

    func validate() throws {
        guard (1...100_000).contains(runs), (0...1_000).contains(warmup) else {
            throw ValidationError("--runs 1…100000, --warmup 0…1000")
        }
        if let seconds, !(seconds > 0 && seconds <= 3_600) { throw ValidationError("--seconds 0…3600") }
        if let whilePID, whilePID <= 0 { throw ValidationError("--while-pid must be a process id") }
        guard (line == nil) != (commandsFile == nil) else {
            throw ValidationError("give one of --command and --commands-file")
        }
    }

    /// Whether another sample is owed: `runs` of them, or until the time is up or the
    /// watched process is gone.
    func wantsMore(samples: Int, since start: ContinuousClock.Instant) -> Bool {
        if let whilePID, kill(whilePID, 0) != 0 { return false }
        if let seconds { return ContinuousClock.now - start < .milliseconds(Int64(seconds * 1000)) }
        return samples < runs
    }

    /// The lines sent, in turn: the one --command, or every non-empty line of --commands-file.
    func lines() throws -> [String] {
        if let line { return [line] }
        let text = try String(contentsOfFile: commandsFile ?? "", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw ValidationError("--commands-file has no line") }
        return lines
    }

    func run() async throws {
        let lines = try lines()
        let samples = try await ConsoleClient.withConnection(host: host, port: port) { client -> [Double] in
            guard try await client.request("AUTH \(user) \(password)").code == 250 else {
                throw ValidationError("AUTH failed")
            }
            var samples: [Double] = []
            let clock = ContinuousClock()
            var sent = 0
            func nextLine() -> String {
                defer { sent += 1 }
                return lines[sent % lines.count]
            }
            for _ in 0..<warmup {
                let line = nextLine()
                let reply = try await client.request(line)
                guard reply.code == 250 else {
                    throw ValidationError("\(line) failed in the warm-up: \(reply.code) \(reply.text)")
                }
            }
            let start = clock.now
            while wantsMore(samples: samples.count, since: start) {
                var code = 0
                let line = nextLine()
                let took = try await clock.measure { code = try await client.request(line).code }
                guard code == 250 else { throw ValidationError("\(line) answered \(code)") }
                samples.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
            }
            return samples.sorted()
        }
        guard !samples.isEmpty else { throw ValidationError("no sample was taken") }
        func percentile(_ p: Double) -> Double {
            samples[max(0, min(samples.count - 1, Int((p * Double(samples.count)).rounded(.up)) - 1))]
        }
        print(
            String(
                format: "p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f samples=%d",
                percentile(0.5), percentile(0.95), percentile(0.99), samples.last ?? 0, samples.count))
    }
}
