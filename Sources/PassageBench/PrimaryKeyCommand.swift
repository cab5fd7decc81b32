import ArgumentParser
import Foundation

/// `passage-bench pk`: the Postgres layer against `pgbench -S` (Deploy/bench/primary-key.sh).
struct PrimaryKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pk",
        abstract: "SELECT abalance FROM pgbench_accounts WHERE aid = $1 through the Postgres layer, like pgbench -S.")
    @Option(help: "libpq connection string of a database initialised with pgbench -i.") var conninfo: String
    @Option var clients = 4
    @Option var seconds = 10.0
    @Option(
        help:
            "lease-per-lookup: every lookup leases a pooled connection, as a console command does; connection-per-client: each client keeps one connection, as pgbench's clients do."
    )
    var mode = "lease-per-lookup"

    func validate() throws {
        guard PrimaryKeyBenchmark.Mode(option: mode) != nil else {
            throw ValidationError("--mode must be lease-per-lookup or connection-per-client")
        }
        guard (1...256).contains(clients), seconds > 0, seconds <= 600 else {
            throw ValidationError("--clients 1…256, --seconds 0…600")
        }
    }

    func run() async throws {
        let mode = PrimaryKeyBenchmark.Mode(option: mode) ?? .leasePerLookup
        let tps = try await PrimaryKeyBenchmark.run(conninfo: conninfo, clients: clients, seconds: seconds, mode: mode)
        print(String(format: "%.0f", tps))
    }
}
