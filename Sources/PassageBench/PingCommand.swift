import ArgumentParser
import Foundation

/// `passage-bench ping`: the load of Deploy/bench/ping.sh, against the console or redis-server.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
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
        let rate = try await PingLoad.run(
            host: host, port: port, connections: connections, pipelineDepth: depth, seconds: seconds)
        print(String(format: "%.0f", rate))
    }
}
