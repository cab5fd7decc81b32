import Foundation
import PassageConsole
import PassageCore
import Testing

@testable import passage

/// `passage console` for scripts (issue 25): `--data-only` prints exactly a reply's data (a CSV
/// reply is the CSV file), `--json` one JSON object per reply, and the exit status says whether
/// every reply was 2xx, for `-c` and for commands piped on standard input. The binary runs
/// against a console server in this process whose table has a STATS-like command.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ConsoleClientOutputTests {
    /// A CSV file as STATS writes it, with a quoted cell holding a comma, a neutralised formula
    /// and a line beginning with a dot (dot-stuffed on the wire).
    static let csv = [
        "area,category,count,suppressed", "CO-ANT,refugee_asylum,12,false", "\"Bogotá, D.C.\",idp,,true",
        "\"'=HYPERLINK(\"\"x\"\")\",migrant_worker,7,false", ".5,trafficked,5,false",
    ]

    static func commands() -> CommandTable {
        CommandTable([
            CommandSpec("PING", access: .anyone, summary: "ping") { _, _ in Reply(code: 250, message: "PONG") },
            CommandSpec(
                "FORMAT", access: .anyone, positional: [ArgumentSpec("format", .choice(["text", "json"]), help: "")],
                summary: "format"
            ) { invocation, session in
                session.setFormat(ReplyFormat(rawValue: try invocation.text("format")) ?? .text)
                return .ok([ReplyField("format", .string(try invocation.text("format")))])
            },
            CommandSpec("STATS", access: .anyone, summary: "a CSV table") { _, _ in
                var reply = Reply.data(.lines("statistics", Self.csv), fields: [ReplyField("release", "2026-12-01")])
                reply.info = ["protection: small_cell_suppression k=5"]
                return reply
            },
            CommandSpec("GONE", access: .anyone, summary: "not found") { _, _ in .failure(550, "no such case 9") },
            CommandSpec("QUIT", access: .anyone, summary: "quit") { _, _ in
                Reply(code: 221, message: "bye", closesConnection: true)
            },
        ])
    }

    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `passage console --port PORT ARGUMENTS` with `input` on standard input, on a thread
    /// of its own (the server in this process needs the cooperative pool meanwhile).
    static func console(_ port: Int, _ arguments: [String], input: String = "") async throws -> Run {
        let (status, output, errors) = try await consoleBytes(port, arguments, input: input)
        return Run(status: status, output: String(data: output, encoding: .utf8) ?? "", errors: errors)
    }

    /// The same, with standard output as bytes (a file in a reply: ConsoleFileOutputTests).
    static func consoleBytes(_ port: Int, _ arguments: [String], input: String = "") async throws -> (
        Int32, Data, String
    ) {
        let binary = try passageBinary()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    // Files, not pipes, take the output: nothing can fill up and block the child.
                    let base = NSTemporaryDirectory() + "passage-console-\(UUID().uuidString)"
                    defer {
                        try? FileManager.default.removeItem(atPath: base + ".out")
                        try? FileManager.default.removeItem(atPath: base + ".err")
                    }
                    for suffix in [".out", ".err"] {
                        _ = FileManager.default.createFile(atPath: base + suffix, contents: nil)
                    }
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: binary)
                    process.arguments = ["console", "--port", String(port)] + arguments
                    let stdin = Pipe()
                    process.standardInput = stdin
                    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
                    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
                    try process.run()
                    stdin.fileHandleForWriting.write(Data(input.utf8))
                    try stdin.fileHandleForWriting.close()
                    process.waitUntilExit()
                    continuation.resume(
                        returning: (
                            process.terminationStatus, FileManager.default.contents(atPath: base + ".out") ?? Data(),
                            (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
                        ))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static func passageBinary() throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            ".build/debug/passage", ".build/x86_64-unknown-linux-gnu/debug/passage",
            ".build/aarch64-unknown-linux-gnu/debug/passage",
        ].map { repository.appendingPathComponent($0).path }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "build the passage executable first (swift build --build-tests)")
    }

    /// A console server in this process with `commands` (this suite's table unless given).
    static func withServer(commands: CommandTable = commands(), _ body: (Int) async throws -> Void) async throws {
        let server = try await ConsoleServer.bind(configuration: ConsoleConfiguration(port: 0), commands: commands)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                try await body(server.port)
            } catch {
                server.shutdown()
                try? await group.waitForAll()
                throw error
            }
            server.shutdown()
            try await group.waitForAll()
        }
    }

    /// RFC 4180 fields of a CSV text (quoted fields may hold commas and doubled quotes).
    static func csvFields(_ text: String) -> [[String]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            var fields: [String] = []
            var field = ""
            var quoted = false
            var previous: Character?
            for character in line {
                if character == "\"" {
                    if quoted, previous == "\"" { field.append("\"") }
                    quoted.toggle()
                } else if character == ",", !quoted {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
                previous = character
            }
            fields.append(field)
            return fields
        }
    }

    @Test("-c --data-only: standard output is exactly the CSV file; info and final text on standard error")
    func dataOnlyIsTheCSVFile() async throws {
        try await Self.withServer { port in
            let run = try await Self.console(port, ["-c", "STATS", "--data-only"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output == Self.csv.joined(separator: "\n") + "\n")
            #expect(Self.csvFields(run.output) == Self.csvFields(Self.csv.joined(separator: "\n") + "\n"))
            #expect(Self.csvFields(run.output).allSatisfy { $0.count == 4 })
            #expect(!run.output.contains("250"))
            #expect(run.errors.contains("protection: small_cell_suppression k=5"))

            // Without it: the protocol's framing, as before.
            let framed = try await Self.console(port, ["-c", "STATS"])
            #expect(framed.output.hasPrefix("250-protection: small_cell_suppression k=5\n250+statistics\n"))
            #expect(framed.output.contains("\n..5,trafficked,5,false\n.\n250 "))
        }
    }

    @Test("--json: FORMAT json first, one JSON object per reply; with --data-only the data lines")
    func jsonReplies() async throws {
        try await Self.withServer { port in
            let run = try await Self.console(port, ["-c", "STATS", "--json"])
            #expect(run.status == 0, "\(run.errors)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.count == 1)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
            #expect(object["code"] as? Int == 250)
            #expect(object["info"] as? [String] == ["protection: small_cell_suppression k=5"])
            let data = try #require(object["data"] as? [[String: Any]])
            #expect(data.compactMap { $0["line"] as? String } == Self.csv)
            #expect((object["result"] as? [String: Any])?["release"] as? String == "2026-12-01")

            let rows = try await Self.console(port, ["-c", "STATS", "--json", "--data-only"])
            let decoded = try rows.output.split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(decoded.compactMap { $0?["line"] as? String } == Self.csv)

            let failed = try await Self.console(port, ["-c", "GONE", "--json"])
            #expect(failed.status == 1)
            let error = try JSONSerialization.jsonObject(with: Data(failed.output.utf8)) as? [String: Any]
            #expect(error?["code"] as? Int == 550)
        }
    }

    @Test("exit status: 0 when every reply was 2xx, else the first failing reply's; 69 without a server")
    func exitStatuses() async throws {
        try await Self.withServer { port in
            #expect(try await Self.console(port, ["-c", "PING"]).status == 0)
            #expect(try await Self.console(port, ["-c", "GONE"]).status == 1)
            #expect(try await Self.console(port, ["-c", "FROB"]).status == 64)
            let refused = try await Self.console(port, ["-c", "GONE", "--data-only"])
            #expect(refused.status == 1 && refused.output.isEmpty && refused.errors.contains("550 no such case 9"))

            // Piped: every line runs; the status is the first failure's.
            let piped = try await Self.console(port, [], input: "PING\nGONE\nFROB\nPING\n")
            #expect(piped.status == 1, "\(piped.output)")
            #expect(piped.output.components(separatedBy: "250 PONG").count == 3, "both PINGs answered")
            #expect(try await Self.console(port, [], input: "PING\nPING\nQUIT\n").status == 0)
            let pipedData = try await Self.console(port, ["--data-only"], input: "STATS\nQUIT\n")
            #expect(pipedData.status == 0)
            #expect(pipedData.output == Self.csv.joined(separator: "\n") + "\n", "no sign-off or framing in the data")
        }
        // Port 1 on the loopback: nothing listens there, the connection is refused.
        let unreachable = try await Self.console(1, ["-c", "PING"])
        #expect(unreachable.status == 69, "\(unreachable.errors)")
        #expect(unreachable.errors.hasPrefix("passage console: "))
    }

    @Test("the printer: a data-only CSV reply parsed back as CSV is the data lines")
    func printerDataOnly() throws {
        var reader = ReplyReader()
        var received: ReceivedReply?
        let stuffed = Self.csv.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        let wire = ["250-protection: k=5", "250+statistics"] + stuffed + [".", "250 statistics release=2026-12-01"]
        for line in wire { received = try reader.accept(line) }
        let reply = try #require(received)
        var output: [String] = []
        var errors: [String] = []
        ConsoleReplyPrinter(
            dataOnly: true, json: false, standardOutput: { output.append($0) },
            standardError: {
                errors.append($0)
            }
        ).print(reply)
        #expect(output == Self.csv)
        #expect(errors == ["protection: k=5", "statistics release=2026-12-01"])
    }
}
