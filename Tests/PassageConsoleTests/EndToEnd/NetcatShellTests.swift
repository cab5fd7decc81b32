import Foundation
import Testing

@Suite("Clients and crashes from the shell", .serialized)
struct NetcatShellTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func passageBinary() throws -> String {
        let candidates = [".build/debug/passage", ".build/x86_64-unknown-linux-gnu/debug/passage", ".build/aarch64-unknown-linux-gnu/debug/passage"]
            .map { Self.repository.appendingPathComponent($0).path }
        let binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                                  "build the passage executable first (Deploy/test.sh runs swift build --build-tests)")
        return binary
    }

    /// Runs a script of Tests/Shell and expects it to print "<name>: ok".
    static func runScript(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repository.appendingPathComponent("Tests/Shell/\(name).sh").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(name): ok"))
    }

    @Test("netcat drives passage serve: greeting, PING, QUIT, pipelined session")
    func netcat() throws {
        try Self.runScript("console-with-nc", [try Self.passageBinary()])
    }

    @Test("the embedded cluster survives kill -9 of passage serve and of PostgreSQL; SIGTERM stops it; runs as a normal user too")
    func crashAndRestart() throws {
        try Self.runScript("serve-crash-restart", [try Self.passageBinary(), Self.repository.appendingPathComponent("Schema").path])
    }

    @Test("passage classify from the shell: public examples byte for byte; bad lines named by key and line; non-zero exit")
    func classifyCommandLine() throws {
        var directory = Self.repository
        var spec: String?
        for _ in 0..<6 where spec == nil {
            let candidate = directory.deletingLastPathComponent().appendingPathComponent("shared/spec")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("examples.jsonl").path) { spec = candidate.path }
            directory.deleteLastPathComponent()
        }
        let found = try #require(spec, "the shared contract (../shared/spec) is beside the repository in every checkout")
        try Self.runScript("classify-cli", [try Self.passageBinary(), found])
    }
}
