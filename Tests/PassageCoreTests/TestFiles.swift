import Foundation

/// Finds the files the tests compare against: the shared contract examples (beside the
/// repository, in ../shared/spec, or wherever a parent directory holds `shared/spec`) and this
/// target's own fixtures (in `Fixtures`, excluded from the target in Package.swift so that SwiftPM does not treat them as
/// undeclared resources).
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The directory holding `examples.jsonl`: walk up from this file until a directory contains
    /// `shared/spec/examples.jsonl`; the team's fixed location is the last resort.
    static let sharedSpec: URL? = {
        var directory = testsDirectory
        while directory.pathComponents.count > 1 {
            let candidate = directory.appendingPathComponent("shared/spec")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("examples.jsonl").path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: "/work/shared/spec")
        return FileManager.default.fileExists(atPath: fallback.appendingPathComponent("examples.jsonl").path) ? fallback : nil
    }()

    static func fixture(_ name: String) -> URL {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// The lines of a text file (a final line feed does not make an extra empty line).
    static func lines(of url: URL) throws -> [String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func bytes(of url: URL) throws -> [UInt8] {
        Array(try Data(contentsOf: url))
    }

    /// Input lines paired with their expected result lines.
    static func pairs(input: URL, expected: URL) throws -> [(input: String, expected: String)] {
        let inputs = try lines(of: input)
        let outputs = try lines(of: expected)
        guard inputs.count == outputs.count else {
            throw PairingError(inputs: inputs.count, outputs: outputs.count)
        }
        return Array(zip(inputs, outputs))
    }

    struct PairingError: Error {
        let inputs: Int
        let outputs: Int
    }
}
