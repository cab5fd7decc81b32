import ArgumentParser
import Foundation
import PassageConsole
import Postgres

/// `passage bench …`: load drivers for the figures in Docs/performance.md. Each prints one
/// number per run so the scripts in Deploy/bench/ can put it beside the anchor's.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load drivers for Docs/performance.md (run through Deploy/bench/*.sh).",
        subcommands: [Ping.self, PrimaryKey.self, Refer.self, Latency.self])

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "PING lines over N connections, reading every reply; works against redis-server's inline PING too.")
        @Option var host = "127.0.0.1"
        @Option var port: Int
        @Option var connections = 4
        @Option(help: "PINGs in flight per connection.") var depth = 1
        @Option var seconds = 10.0

        func validate() throws {
            guard (1...10_000).contains(connections), (1...1_024).contains(depth), seconds > 0, seconds <= 600 else {
                throw ValidationError("--connections 1…10000, --depth 1…1024, --seconds 0…600")
            }
        }

        func run() async throws {
            let rate = try await PingLoad.run(host: host, port: port, connections: connections, pipelineDepth: depth, seconds: seconds)
            print(String(format: "%.0f", rate))
        }
    }

    struct PrimaryKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pk",
            abstract: "SELECT abalance FROM pgbench_accounts WHERE aid = $1 through the Postgres layer, like pgbench -S.")
        @Option(help: "libpq connection string of a database initialised with pgbench -i.") var conninfo: String
        @Option var clients = 4
        @Option var seconds = 10.0
        @Option(help: "lease-per-lookup: every lookup leases a pooled connection, as a console command does; connection-per-client: each client keeps one connection, as pgbench's clients do.")
        var mode = "lease-per-lookup"

        func validate() throws {
            guard ["lease-per-lookup", "connection-per-client"].contains(mode) else {
                throw ValidationError("--mode must be lease-per-lookup or connection-per-client")
            }
            guard (1...256).contains(clients), seconds > 0, seconds <= 600 else { throw ValidationError("--clients 1…256, --seconds 0…600") }
        }

        func run() async throws {
            let tps = try await PrimaryKeyBenchmark.run(conninfo: conninfo, clients: clients, seconds: seconds,
                                                        mode: mode == "lease-per-lookup" ? .leasePerLookup : .connectionPerClient)
            print(String(format: "%.0f", tps))
        }
    }

    struct Latency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One console command, signed in, N times in a row after a warm-up; prints p50 and p95 in milliseconds.")
        @Option var host = "127.0.0.1"
        @Option var port: Int
        @Option var user: String
        @Option(help: "Password (benchmark accounts only).") var password: String
        @Option(name: .customLong("command")) var line: String
        @Option var runs = 100
        @Option var warmup = 3
        @Option(help: "Run for this long instead of --runs times (or until --while-pid exits).") var seconds: Double?
        @Option(name: .customLong("while-pid"), help: "Stop as soon as this process has exited: latency while another command runs.")
        var whilePID: Int32?

        func validate() throws {
            guard (1...100_000).contains(runs), (0...1_000).contains(warmup) else { throw ValidationError("--runs 1…100000, --warmup 0…1000") }
            if let seconds, !(seconds > 0 && seconds <= 3_600) { throw ValidationError("--seconds 0…3600") }
            if let whilePID, whilePID <= 0 { throw ValidationError("--while-pid must be a process id") }
        }

        /// Whether another sample is owed: `runs` of them, or until the time is up or the
        /// watched process is gone.
        func wantsMore(samples: Int, since start: ContinuousClock.Instant) -> Bool {
            if let whilePID, kill(whilePID, 0) != 0 { return false }
            if let seconds { return ContinuousClock.now - start < .milliseconds(Int64(seconds * 1000)) }
            return samples < runs
        }

        func run() async throws {
            let samples = try await ConsoleClient.withConnection(host: host, port: port) { client -> [Double] in
                guard try await client.request("AUTH \(user) \(password)").code == 250 else { throw ValidationError("AUTH failed") }
                var samples: [Double] = []
                let clock = ContinuousClock()
                for _ in 0..<warmup {
                    let reply = try await client.request(line)
                    guard reply.code == 250 else { throw ValidationError("\(line) failed in the warm-up: \(reply.code) \(reply.text)") }
                }
                let start = clock.now
                while wantsMore(samples: samples.count, since: start) {
                    var code = 0
                    let took = try await clock.measure { code = try await client.request(line).code }
                    guard code == 250 else { throw ValidationError("\(line) answered \(code)") }
                    samples.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
                }
                return samples.sorted()
            }
            guard !samples.isEmpty else { throw ValidationError("no sample was taken") }
            func percentile(_ p: Double) -> Double { samples[max(0, min(samples.count - 1, Int((p * Double(samples.count)).rounded(.up)) - 1))] }
            print(String(format: "p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f samples=%d",
                         percentile(0.5), percentile(0.95), percentile(0.99), samples.last ?? 0, samples.count))
        }
    }
}
