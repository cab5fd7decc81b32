import Foundation
import Testing

@Suite("A client that is not ours")
struct NetcatShellTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("netcat drives passage serve: greeting, PING, QUIT, pipelined session")
    func netcat() throws {
        let candidates = [".build/debug/passage", ".build/x86_64-unknown-linux-gnu/debug/passage", ".build/aarch64-unknown-linux-gnu/debug/passage"]
            .map { Self.repository.appendingPathComponent($0).path }
        let binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                                  "build the passage executable first (Deploy/test.sh runs swift build --build-tests)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repository.appendingPathComponent("Tests/Shell/console-with-nc.sh").path, binary]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("console-with-nc: ok"))
    }
}
