import Foundation
import TestSupport
import Testing

/// `--log-format` and `--log-level` of the operator commands (Docs/operations.md "Logs and
/// metrics"): `passage migrate --log-format json` writes its log as JSON lines on standard error,
/// its report for the operator staying plain text on standard output.
@Suite("Operator commands' log format", .serialized)
struct OperatorLogFormatTests {
    /// Runs the passage executable with `arguments`; its exit status, standard output and error.
    static func passage(_ arguments: [String]) async throws -> (Int32, String, String) {
        let binary = try NetcatShellTests.passageBinary()
        return try await offThePool { () throws -> (Int32, String, String) in
            let directory = NSTemporaryDirectory() + "passage-log-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let out = directory + "/out"
            let err = directory + "/err"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return (
                process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8),
                try String(contentsOfFile: err, encoding: .utf8)
            )
        }
    }

    @Test("migrate --log-format json: every log line is a JSON object naming the migration applied")
    func migrateLogsJSON() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let (status, out, err) = try await Self.passage([
            "migrate", "--database-url", conninfo, "--log-format", "json", "--log-level", "info",
        ])
        #expect(status == 0, "\(out)\(err)")
        #expect(out.contains("applied"))
        let lines = err.split(separator: "\n").filter { !$0.isEmpty }
        let objects = lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(!lines.isEmpty && objects.count == lines.count, "not all JSON: \(err)")
        #expect(
            objects.contains {
                $0["logger"] as? String == "passage.migrate" && $0["level"] as? String == "info"
                    && ($0["message"] as? String)?.hasPrefix("applied migration ") == true
            }, "\(err)")
    }

    @Test("migrate --log-level warning: the applied migrations (info) are not logged; a bad format is refused")
    func migrateLogLevelAndValidation() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let (status, _, err) = try await Self.passage([
            "migrate", "--database-url", conninfo, "--log-format", "json", "--log-level", "warning",
        ])
        #expect(status == 0)
        #expect(!err.contains("applied migration"), "\(err)")
        let (refused, _, message) = try await Self.passage([
            "migrate", "--database-url", conninfo, "--log-format", "xml",
        ])
        #expect(refused != 0 && message.contains("--log-format must be text or json"), "\(message)")
    }
}
