import Foundation
import TestSupport
import Testing

@Suite("Clients and crashes from the shell", .serialized)
struct NetcatShellTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func passageBinary() throws -> String {
        let candidates = [
            ".build/debug/passage", ".build/x86_64-unknown-linux-gnu/debug/passage",
            ".build/aarch64-unknown-linux-gnu/debug/passage",
        ]
        .map { Self.repository.appendingPathComponent($0).path }
        let binary = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "build the passage executable first (Deploy/test.sh runs swift build --build-tests)")
        return binary
    }

    /// Runs a script of Tests/Shell on a thread of its own (it takes seconds; the cooperative
    /// pool must stay free for the other tests) and expects it to print "<name>: ok".
    static func runScript(_ name: String, _ arguments: [String]) async throws {
        let script = Self.repository.appendingPathComponent("Tests/Shell/\(name).sh").path
        let (status, text) = try await offThePool { () throws -> (Int32, String) in
            let output = NSTemporaryDirectory() + "passage-shell-\(UUID().uuidString).out"
            defer { try? FileManager.default.removeItem(atPath: output) }
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script] + arguments
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try? handle.close()
            return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }
        #expect(status == 0, "\(text)")
        #expect(text.contains("\(name): ok"))
    }

    @Test("netcat drives passage serve: greeting, PING, QUIT, pipelined session")
    func netcat() async throws {
        try await Self.runScript("console-with-nc", [try Self.passageBinary()])
    }

    @Test(
        "the embedded cluster survives kill -9 of passage serve and of PostgreSQL; SIGTERM stops it; runs as a normal user too"
    )
    func crashAndRestart() async throws {
        try await Self.runScript(
            "serve-crash-restart", [try Self.passageBinary(), Self.repository.appendingPathComponent("Schema").path])
    }

    @Test(
        "crash drill: kill -9 of passage serve under 8 clients sending REFER with keys, 5 times; acknowledged referrals exist once, retries make no duplicate"
    )
    func referCrashDrill() async throws {
        try await Self.runScript("refer-crash-drill", [try Self.passageBinary(), "5"])
    }

    @Test(
        "passage classify from the shell: public examples byte for byte; bad lines named by key and line; non-zero exit; --version"
    )
    func classifyCommandLine() async throws {
        // The contract's public examples travel with the repository (issue 26).
        let contract = Self.repository.appendingPathComponent("Tests/PassageCoreTests/Fixtures/contract")
        try await Self.runScript("classify-cli", [try Self.passageBinary(), contract.path])
    }

    @Test(
        "passage classify agrees byte for byte with an oracle written from the contract's text alone, on 20,000 random case facts"
    )
    func classifyAgreesWithTheContractOracle() async throws {
        try await Self.runScript("classification-oracle", [try Self.passageBinary(), "12", "20000"])
    }
}
