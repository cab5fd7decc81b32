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
        let gate = StartGate(runners: connections)
        let tally = Tally()
        let done = DispatchGroup()
        // One blocking thread per connection, as in ReferCommand (LineClient says why).
        for _ in 0..<connections {
            done.enter()
            let thread = Thread { [host, port, user, password, line, seconds] in
                defer { done.leave() }
                var client: LineClient?
                do {
                    let opened = try LineClient(host: host, port: port)
                    client = try opened.request("AUTH \(user) \(password)").code == 250 ? opened : nil
                } catch {
                    tally.fail("connect: \(error)")
                }
                let start = gate.arrive()
                guard let client else { return tally.fail("AUTH failed") }
                let deadline = start + .nanoseconds(Int64(seconds * 1e9))
                var answered = 0
                var failed = 0
                while ContinuousClock.now < deadline {
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
                        break
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
        if failed > 0 { FileHandle.standardError.write(Data("\(failed) repeat(s) failed\n".utf8)) }
        guard answered > 0 || errors.isEmpty else { throw ExitCode.failure }
        print(String(format: "%.0f", Double(answered) / measured))
    }
}
