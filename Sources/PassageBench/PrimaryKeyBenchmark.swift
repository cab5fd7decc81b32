import Logging
import PassageCore
import Postgres

/// The equivalent of `pgbench -S` through this layer: each client reads one account balance
/// by random primary key, over and over. Needs the tables made by `pgbench -i`. Used by
/// `passage-bench pk`. The default mode, like pgbench, gives each client its own connection;
/// `.leasePerLookup` adds a pool lease (thread hand-off) to every lookup, as a server request has.
enum PrimaryKeyBenchmark {
    /// How a client uses the pool.
    enum Mode: String, Sendable, CaseIterable {
        /// Every lookup leases a connection and returns it, as a server request does: measures
        /// the pool's hand-off to its thread and back on every lookup.
        case leasePerLookup
        /// Each client leases one connection for the whole run and loops on it, as a pgbench
        /// client does with its own connection: measures the query path alone.
        case connectionPerClient

        /// The mode named by `--mode` (`lease-per-lookup`, `connection-per-client`).
        init?(option: String) {
            switch option {
            case "lease-per-lookup": self = .leasePerLookup
            case "connection-per-client": self = .connectionPerClient
            default: return nil
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs for `seconds` with `clients` concurrent tasks over a pool of `clients` connections
    /// and returns completed lookups per second.
    static func run(
        conninfo: String, clients: Int, seconds: Double, mode: Mode = .connectionPerClient
    ) async throws -> Double {
        guard clients >= 1 else { throw Failure(description: "benchmark clients must be at least 1, got \(clients)") }
        guard seconds > 0, seconds.isFinite else {
            throw Failure(description: "benchmark duration must be a positive number of seconds, got \(seconds)")
        }
        let pool = try PostgresPool(
            conninfo: conninfo, size: clients, acquireTimeout: .seconds(30),
            logger: Logger(label: "passage.benchmark"))
        do {
            let tps = try await measure(pool: pool, clients: clients, seconds: seconds, mode: mode)
            await pool.shutdown()
            return tps
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    private static func measure(pool: PostgresPool, clients: Int, seconds: Double, mode: Mode) async throws -> Double {
        let accounts = try await pool.withConnection { db in
            try db.query("SELECT count(*) FROM pgbench_accounts")[0].decode(Int32.self, at: 0)
        }
        guard accounts > 0 else {
            throw Failure(description: "pgbench_accounts is empty: initialise it with `pgbench -i` first")
        }
        // Open (and prepare on) every connection before the clock starts, as pgbench connects first.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
                    try await lookup(pool: pool, accounts: accounts, using: &random)
                }
            }
            try await group.waitForAll()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let completed = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
                    switch mode {
                    case .leasePerLookup:
                        var count = 0
                        while clock.now < deadline {
                            try await lookup(pool: pool, accounts: accounts, using: &random)
                            count += 1
                        }
                        return count
                    case .connectionPerClient:
                        let seed = random.next()
                        return try await pool.withConnection { db in
                            var random = SplitMix64(seed: seed)
                            var count = 0
                            while clock.now < deadline {
                                let aid = Int32.random(in: 1...accounts, using: &random)
                                _ = try db.query("SELECT abalance FROM pgbench_accounts WHERE aid = \(aid)")
                                    .first?.decode(Int32.self, at: 0)
                                count += 1
                            }
                            return count
                        }
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(completed) / elapsedSeconds
    }

    private static func lookup(pool: PostgresPool, accounts: Int32, using random: inout SplitMix64) async throws {
        // pgbench draws keys with its own cheap generator; the system generator costs a
        // syscall per number, which would be measured as driver overhead.
        let aid = Int32.random(in: 1...accounts, using: &random)
        _ = try await pool.withConnection { db in
            try db.query("SELECT abalance FROM pgbench_accounts WHERE aid = \(aid)").first?.decode(Int32.self, at: 0)
        }
    }
}
