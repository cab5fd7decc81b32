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
        try await ConsoleClientOutputTests.consoleBytes(port, arguments)
    }

    static func withServer(_ body: (Int) async throws -> Void) async throws {
        try await ConsoleClientOutputTests.withServer(commands: commands(), body)
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
