import Foundation
import Testing

/// Issue 26: everything the tests need is in the repository, and nothing in it points at one
/// particular machine.
@Suite struct RepositoryStandsAloneTests {
    /// Runs only where the team's shared contract folder (`shared/spec`) sits beside the
    /// repository. Anywhere else — a fresh clone on another machine — Swift Testing reports it as
    /// skipped with this reason, and the repository's own copy is the contract the tests use.
    @Test(
        "the repository's copy of the contract equals the team's shared folder, byte for byte",
        .enabled(
            if: TestFiles.sharedSpecBesideRepository != nil,
            "no shared/spec folder beside the repository: nothing to compare the copy with"))
    func theContractCopyHasNotDrifted() throws {
        let shared = try #require(TestFiles.sharedSpecBesideRepository)
        for name in TestFiles.contractFiles {
            let copy = try TestFiles.bytes(of: TestFiles.contract.appendingPathComponent(name))
            let original = try TestFiles.bytes(of: shared.appendingPathComponent(name))
            #expect(
                copy == original,
                "Tests/PassageCoreTests/Fixtures/contract/\(name) differs from \(shared.lastPathComponent)/\(name): copy it again"
            )
        }
    }

    /// The parts of the repository a clone carries: sources, tests, deployment, documentation,
    /// schema, CI and the top-level files.
    static let scannedRoots = ["Sources", "Tests", "Deploy", "Docs", "Schema", ".ci", "README.md", "Package.swift"]

    /// An absolute path into this machine's working folders or a home directory, e.g. a path
    /// starting with "/" + "work/" or "/" + "root/". Only such a path at the start of a word
    /// counts (so `$home/work/cluster` is not one); temporary paths under /tmp are fine.
    static func machinePath() throws -> Regex<AnyRegexOutput> {
        try Regex(#"(^|[\s"'`(=:,\[])/(work|root|home|Users)/"#)
    }

    @Test func noFileInTheRepositoryHoldsAnAbsolutePathOfThisMachine() throws {
        let machinePath = try Self.machinePath()
        var scanned = 0
        var hits: [String] = []
        for root in Self.scannedRoots {
            for file in Self.files(under: TestFiles.repository.appendingPathComponent(root)) {
                guard let data = FileManager.default.contents(atPath: file.path),
                    let text = String(data: data, encoding: .utf8)
                else { continue }  // binary files
                scanned += 1
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains(machinePath) {
                    let relative = file.path.dropFirst(TestFiles.repository.path.count + 1)
                    hits.append("\(relative):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(scanned > 100, "the scan found only \(scanned) text files under \(Self.scannedRoots)")
        #expect(hits.isEmpty, "absolute machine paths:\n\(hits.joined(separator: "\n"))")
    }

    @Test func thePatternFindsWhatItMustAndOnlyThat() throws {
        let machinePath = try Self.machinePath()
        let root = "/" + "root"
        let work = "/" + "work"
        for line in [
            "let spec = \"\(work)/shared/spec\"", "cd \(root)/passage", "  \(work)/main/Tests", "x=\(work)/y/z",
            "`\(root)/...`",
        ] {
            #expect(line.contains(machinePath), "\(line)")
        }
        for line in [
            "$home/work/cluster", "/tmp/passage-work/x", "Tests/Shell/work/x", "../shared/spec",
            "https://example.org/work/x",
        ] {
            #expect(!line.contains(machinePath), "\(line)")
        }
    }

    /// Every regular file under `url` (or `url` itself), skipping build output.
    static func files(under url: URL) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [url] }
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [URL] = []
        for case let file as URL in walker {
            if file.lastPathComponent == ".build" {
                walker.skipDescendants()
                continue
            }
            if (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(file) }
        }
        return files
    }
}
