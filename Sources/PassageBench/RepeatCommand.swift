import ArgumentParser
import Foundation

/// `passage-bench repeat`: one console command line sent over and over on N signed-in
/// connections for a time; prints the replies per second. The console side of the HTTP
/// benchmark (Deploy/bench/http.sh: `CASE SHOW` beside `GET /v1/cases/{case}`).
struct RepeatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repeat", abstract: "One command line repeated over N console connections; replies per second.")
    @Option var host = "127.0.0.1"
    @Option var port: Int
    @Option var user: String
    @Option(help: "The user's password (bench databases only).") var password: String
    @Option(name: .customLong("command"), help: "The line sent, e.g. \"CASE SHOW 1\".") var line: String
    @Option var connections = 4
    @Option var seconds = 10.0

    func validate() throws {
        guard (1...256).contains(connections), seconds > 0, seconds <= 600 else {
            throw ValidationError("--connections 1…256, --seconds 0…600")
        }
    }

    func run() async throws {
        let line = self.line
        let rate = try await ConsoleLoad(
            host: host, port: port, user: user, password: password, connections: connections, seconds: seconds
        ).run(label: "repeat") { .send(line) }
        print(String(format: "%.0f", rate))
    }
}
