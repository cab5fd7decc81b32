import Foundation
import PassageConsole
import Testing

@testable import passage

/// A file in a reply (`STATS … format=xlsx`): the server sends it as base64 lines under a title
/// ending in `base64` (DataBlock.file), and `passage console --data-only` writes the decoded bytes,
/// so `passage console -c "STATS … format=xlsx" --data-only > f.xlsx` is the workbook — in text
/// and in JSON mode alike. Without --data-only the framing is shown as received.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ConsoleFileOutputTests {
    /// Every byte value, and more than one line's worth of base64.
    static let file: [UInt8] = (0..<600).map { UInt8(($0 * 7 + 3) % 256) }

    static func commands() -> CommandTable {
        CommandTable([
            CommandSpec(
                "FORMAT", access: .anyone, positional: [ArgumentSpec("format", .choice(["text", "json"]), help: "")],
                summary: "format"
            ) { invocation, session in
                session.setFormat(ReplyFormat(rawValue: try invocation.text("format")) ?? .text)
                return .ok([ReplyField("format", .string(try invocation.text("format")))])
            },
            CommandSpec("STATS", access: .anyone, summary: "a workbook") { _, _ in
                var reply = Reply.data(.file("stats", format: "xlsx", bytes: Self.file), message: "1 cells")
                reply.info = ["protection: small_cell_suppression k=5"]
                return reply
            },
        ])
    }

    /// `passage console --port PORT ARGUMENTS`: its exit status, standard output as bytes, standard error.
    static func console(_ port: Int, _ arguments: [String]) async throws -> (Int32, Data, String) {
        let binary = try ConsoleClientOutputTests.passageBinary()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
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
                    process.standardInput = FileHandle.nullDevice
                    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
                    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
                    try process.run()
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

    static func withServer(_ body: (Int) async throws -> Void) async throws {
        let server = try await ConsoleServer.bind(configuration: ConsoleConfiguration(port: 0), commands: commands())
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

    @Test("--data-only writes the file's bytes, in text and in JSON mode; the framing is base64 lines")
    func dataOnlyWritesTheFile() async throws {
        try await Self.withServer { port in
            let (status, output, errors) = try await Self.console(port, ["-c", "STATS", "--data-only"])
            #expect(status == 0, "\(errors)")
            #expect([UInt8](output) == Self.file)
            #expect(errors.contains("protection: small_cell_suppression k=5"))

            let (jsonStatus, jsonOutput, jsonErrors) = try await Self.console(
                port, ["-c", "STATS", "--data-only", "--json"])
            #expect(jsonStatus == 0, "\(jsonErrors)")
            #expect([UInt8](jsonOutput) == Self.file)

            // On the wire: the title names the format and the encoding; 76 characters a line.
            let (_, framed, _) = try await Self.console(port, ["-c", "STATS"])
            let lines = String(decoding: framed, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(lines.contains("250+stats xlsx base64"))
            let data = lines.filter { !$0.hasPrefix("250") && $0 != "." }
            #expect(data.dropLast().allSatisfy { $0.count == 76 })
            #expect(DataBlock.fileBytes(data) == Self.file)
        }
    }
}
