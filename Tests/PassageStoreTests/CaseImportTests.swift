import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Bulk import of case facts")
struct CaseImportTests {
    /// Four kinds of case in turn, so the per-category counts are known without the classifier.
    static func line(_ index: Int) -> String {
        switch index % 4 {
        case 0: return #"{"ref":"imp-\#(index)","nationality":"SY","current_country":"DE","asylum":"applied"}"#
        case 1:
            return
                #"{"ref":"imp-\#(index)","nationality":"PH","current_country":"AE","employment":{"status":"engaged","skill_level":3}}"#
        case 2:
            return
                #"{"ref":"imp-\#(index)","nationality":"CO","current_country":"CO","left_home":true,"forced":true,"causes":["armed_conflict"]}"#
        default:
            return
                #"{"ref":"imp-\#(index)","age":15,"nationality":"NG","current_country":"NG","trafficking":{"acts":["recruitment"],"purposes":["forced_labour"]}}"#
        }
    }

    static func writeFile(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "passage-import-test-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func count(_ table: String, _ db: PostgresConnection) throws -> Int {
        try db.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self)
    }

    @Test("a clean file is imported with its counts per primary category and a history row per case")
    func cleanImport() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let path = try Self.writeFile((0..<1_000).map(Self.line))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try CaseImport().run(
            path: path, organisation: 1, caseworker: "import", skipBad: false, rejectsPath: nil, on: db)
        #expect(!report.refused)
        #expect(report.imported == 1_000)
        #expect(
            report.importedByCategory == ["refugee_asylum": 250, "migrant_worker": 250, "idp": 250, "trafficked": 250])
        #expect(try count("cases", db) == 1_000)
        // Each imported case's history is its one rule result, by the current classifier.
        let history = try CaseStore().history(caseID: 4, organisation: 1, on: db)
        #expect(
            history.count == 1 && history[0].classifierVersion == Classifier.version && history[0].decidedBy == "import"
        )
        // The stored result is the classifier's line, byte for byte.
        let stored = try db.query("SELECT classification::text FROM cases WHERE ref = 'imp-3'")[0].decode(String.self)
        #expect(stored == Classifier().classify(try CaseFacts.decode(jsonLine: Self.line(3))).resultJSON)
        // New cases made after an import get fresh ids (the sequence was advanced).
        let next = try CaseStore().create(
            try CaseFacts.decode(jsonLine: #"{"ref":"after","current_country":"DE"}"#), organisation: 1,
            caseworker: "x", on: db)
        #expect(next.id > 1_000)
    }

    @Test("one bad line in 10,000 leaves the database unchanged and is reported by number")
    func oneBadLineImportsNothing() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        var lines = (0..<10_000).map(Self.line)
        lines[6_789] = #"{"ref":"bad","current_country":"DE","age":"old"}"#
        let path = try Self.writeFile(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try CaseImport().run(
            path: path, organisation: 1, caseworker: "import", skipBad: false, rejectsPath: nil, on: db)
        #expect(report.refused)
        #expect(report.imported == 0)
        #expect(report.badLines.count == 1)
        #expect(report.badLines.first?.line == 6_790)
        #expect(report.badLines.first?.message.contains("age") == true)
        #expect(try count("cases", db) == 0)
    }

    @Test("--skip-bad imports the good lines and writes every reject verbatim")
    func skipBadWritesRejects() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        _ = try CaseStore().create(
            try CaseFacts.decode(jsonLine: Self.line(5)), organisation: 1, caseworker: "x", on: db)
        var lines = (0..<20).map(Self.line)
        lines[2] = #"{"ref":"no-country"}"#
        lines[7] = #"{"ref":"imp-0","current_country":"DE"}"#  // repeats line 1's ref
        lines[9] = "not json"
        let path = try Self.writeFile(lines)
        let rejects = path + ".rejects"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: rejects)
        }
        let report = try CaseImport().run(
            path: path, organisation: 1, caseworker: "import", skipBad: true, rejectsPath: rejects, on: db)
        #expect(report.badLines.map(\.line).sorted() == [3, 6, 8, 10])  // line 6 is imp-5, already stored
        #expect(report.imported == 16)
        #expect(try count("cases", db) == 17)
        let written = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written == [lines[2], lines[5], lines[7], lines[9]])
    }

    @Test("a first load into an empty organisation validates while it streams: same reports, same rejects")
    func singlePassSkipBad() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        var lines = (0..<50).map(Self.line)
        lines[4] = #"{"ref":"imp-1","current_country":"DE"}"#  // repeats line 2's ref
        lines[30] = #"{"ref":"x","current_country":"DE","sex":"robot"}"#
        let path = try Self.writeFile(lines)
        let rejects = path + ".rejects"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: rejects)
        }
        let refused = try CaseImport().run(
            path: path, organisation: 1, caseworker: "import", skipBad: false, rejectsPath: nil, on: db)
        #expect(refused.refused && refused.imported == 0)
        #expect(refused.badLines.map(\.line) == [5, 31])
        #expect(refused.badLines.last?.message.contains("sex") == true)
        #expect(try count("cases", db) == 0)
        #expect(!FileManager.default.fileExists(atPath: rejects))
        let skipped = try CaseImport().run(
            path: path, organisation: 1, caseworker: "import", skipBad: true, rejectsPath: rejects, on: db)
        #expect(!skipped.refused && skipped.imported == 48)
        #expect(try count("cases", db) == 48)
        let written = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written == [lines[4], lines[30]])
    }
}
