import Foundation

/// Finds the files the tests compare against, all inside the repository: this target's fixtures
/// (in `Fixtures`, excluded from the target in Package.swift so that SwiftPM does not treat them
/// as undeclared resources), among them the contract's public examples in `Fixtures/contract`.
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The repository's root (this file is Tests/PassageCoreTests/TestFiles.swift).
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's copy of the contract: case-facts.md, examples.jsonl, examples.expected.jsonl.
    static let contract = testsDirectory.appendingPathComponent("Fixtures/contract")

    /// The files of `contract` that are copies of the team's shared contract folder.
    static let contractFiles = ["case-facts.md", "examples.jsonl", "examples.expected.jsonl"]

    /// The team's shared contract folder, `shared/spec`, when a checkout has it beside the
    /// repository: looked for from this file's folder upwards, no higher than the repository's
    /// parent. nil in any other checkout, where the repository's copy is all there is.
    static let sharedSpecBesideRepository: URL? = {
        let highest = repository.deletingLastPathComponent().standardizedFileURL.path
        var directory = testsDirectory.standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent("shared/spec")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("examples.jsonl").path) {
                return candidate
            }
            if directory.path == highest || directory.pathComponents.count <= 1 { return nil }
            directory = directory.deletingLastPathComponent()
        }
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
