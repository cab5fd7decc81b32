import Foundation

/// Runs one of Tests/Python's checkers (libhxl, pycanon) with python3 and returns its exit
/// status and output. The python packages are installed by Deploy/install-deps.sh.
public enum PythonCheck {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Python")

    public static func run(_ script: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let path = directory.appendingPathComponent(script).path
        return try await runProgram("/usr/bin/env", ["python3", path] + arguments)
    }

    /// Runs a program on a thread of its own, output and errors together.
    public static func runProgram(_ executable: String, _ arguments: [String]) async throws -> (
        status: Int32, output: String
    ) {
        try await offThePool { () throws -> (Int32, String) in
            let output = NSTemporaryDirectory() + "passage-check-\(UUID().uuidString).out"
            defer { try? FileManager.default.removeItem(atPath: output) }
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try? handle.close()
            return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }
    }

    /// Writes `lines` to a fresh temporary file and returns its path.
    public static func temporaryFile(_ lines: [String], suffix: String) throws -> String {
        let path = NSTemporaryDirectory() + "passage-\(UUID().uuidString)\(suffix)"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
