import Foundation
import PassageCore
import TestSupport
import Testing

/// Issue 25's HXL must-show: every HXL output (STATS of cases, needs and referrals with the
/// filters that become attributes, and every GAPS kind) uses only hashtags of the HXL core
/// dictionary and core or listed attributes (Tests/Python/check_hxl.py against
/// hxl-core-dictionary.json), loads in libhxl with exactly the intended columns, and joins with an
/// HDX-style reference table on ISO3 and on P-codes (hdx_join.py, libhxl's merge).
@Suite struct HXLVocabularyTests {
    static let pcodes = try! PCodeMapping.parse(csv: "iso3166_2,pcode\nTR-34,TR34\nTR-27,TR27\n")

    static func export(_ unit: CountedUnit, dimensions: [String], filters: [(String, String)] = []) -> StatisticsExport {
        let values: [String: [String]] = [
            "origin": ["SY", "AF"], "country": ["TR", "TR"], "area": ["TR-34", "TR-27"], "need": ["LP-DA", "SM"],
            "referral_status": ["accepted", "declined"], "month": ["2026-10", "2026-11"], "age_band": ["60+", "12-17"],
            "referral_response": ["in_time", "none"],
        ]
        let cells = (0..<2).map { row in
            PublishedCell(values: dimensions.map { values[$0]![row] }, value: row == 0 ? 12 : nil)
        }
        return StatisticsExport(
            unit: unit, table: PublishedTable(dimensions: dimensions, cells: cells, protections: []),
            window: "2026-10-01/2026-12-01", release: "2026-12-01", epsilonSpent: 0, budgetLeft: nil,
            filters: filters.map { StatisticsExport.Filter(dimension: $0.0, value: $0.1) })
    }

    func check(_ lines: [String], columns: [String]) async throws {
        let file = try PythonCheck.temporaryFile(lines, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try await PythonCheck.run("check_hxl.py", ["--columns", file] + columns)
        #expect(status == 0, "\(output)\n\(lines.joined(separator: "\n"))")
    }

    @Test("STATS' HXL: core hashtags, +ind for people, needs and referrals not under #affected, ISO3 and P-code columns")
    func statistics() async throws {
        let cases = StatisticsText.csvLines(
            Self.export(.cases, dimensions: ["origin", "area"], filters: [("category", "refugee_asylum"), ("sex", "other"), ("age_band", "60+")]),
            hxl: true, pcodes: Self.pcodes)
        #expect(cases[0] == "origin,origin_iso3,area,area_pcode,count,suppressed")
        #expect(cases[2] == "SY,SYR,TR-34,TR34,12,false" && cases[3] == "AF,AFG,TR-27,TR27,,true")
        try await check(cases, columns: [
            "#country+code+origin+v_iso2", "#country+code+origin+v_iso3", "#adm1+code+v_iso3166_2", "#adm1+code+v_pcode",
            "#affected+ind+refugees+i+elderly+age60plus+total", "#meta+suppressed",
        ])
        let needs = StatisticsText.csvLines(
            Self.export(.needs, dimensions: ["country", "need", "month"], filters: [("age_band", "12-17")]), hxl: true)
        try await check(needs, columns: [
            "#country+code+v_iso2", "#country+code+v_iso3", "#need+code", "#date+reported",
            "#indicator+num+needs+children+adolescents+age12_17+total", "#meta+suppressed",
        ])
        let referrals = StatisticsText.csvLines(
            Self.export(.referrals, dimensions: ["area", "referral_status", "referral_response"]), hxl: true)
        // Without a P-code mapping the area keeps its ISO column only, its vocabulary marked.
        try await check(referrals, columns: [
            "#adm1+code+v_iso3166_2", "#status+referral", "#status+referral+response", "#output+num+referrals+total",
            "#meta+suppressed",
        ])
        // Plain CSV keeps the contract's columns.
        #expect(StatisticsText.csvLines(Self.export(.cases, dimensions: ["origin", "area"]), hxl: false, pcodes: Self.pcodes)[0]
            == "origin,area,count,suppressed")
    }

    @Test("GAPS' HXL of every kind: core hashtags, listed attributes, ISO3 beside the country", arguments: GapKind.allCases)
    func gaps(kind: GapKind) async throws {
        let columns = GapColumn.columns(of: kind, dimensions: ["country", "area"])
        let row: [GapCell] = columns.map { column in
            switch column.content {
            case .dimension: .text(column.name == "country" ? "TR" : "TR-34")
            case .label: .text("x")
            case .count, .registry: .count(7)
            case .share, .hours: .figure(0.5)
            }
        }
        let published = PublishedGaps(columns: columns, rows: [row], protections: [], k: 5)
        let lines = GapsText.csvLines(published, kind: kind, hxl: true, pcodes: Self.pcodes)
        var tags = GapsText.hxlRow(columns, kind: kind)
        tags.insert("#country+code+v_iso3", at: 1)
        tags.insert("#adm1+code+v_pcode", at: 3)
        #expect(!tags.contains { $0.hasPrefix("#affected") })
        try await check(lines, columns: tags)
    }

    @Test("an HDX-style join: the HXL output joins a reference table on ISO3 and on P-codes (libhxl merge)")
    func hdxJoin() async throws {
        let lines = StatisticsText.csvLines(
            Self.export(.cases, dimensions: ["origin", "area"]), hxl: true, pcodes: Self.pcodes)
        let file = try PythonCheck.temporaryFile(lines, suffix: ".csv")
        let countries = try PythonCheck.temporaryFile(
            ["ISO3,Population", "#country+code+v_iso3,#population+num", "SYR,22000000", "AFG,41000000"], suffix: ".csv")
        let areas = try PythonCheck.temporaryFile(
            ["P-code,Population", "#adm1+code+v_pcode,#population+num", "TR34,15600000", "TR27,2100000"], suffix: ".csv")
        let wrongAreas = try PythonCheck.temporaryFile(
            ["P-code,Population", "#adm1+code+v_pcode,#population+num", "TUR034,15600000"], suffix: ".csv")
        defer { for path in [file, countries, areas, wrongAreas] { try? FileManager.default.removeItem(atPath: path) } }
        let (iso3, iso3Output) = try await PythonCheck.run("hdx_join.py", [file, countries, "#country+code+v_iso3", "#population+num"])
        #expect(iso3 == 0 && iso3Output.contains("2 rows joined"), "\(iso3Output)")
        let (pcode, pcodeOutput) = try await PythonCheck.run("hdx_join.py", [file, areas, "#adm1+code+v_pcode", "#population+num"])
        #expect(pcode == 0 && pcodeOutput.contains("2 rows joined"), "\(pcodeOutput)")
        // The check can fail: keys the reference does not hold do not join.
        let (missed, _) = try await PythonCheck.run("hdx_join.py", [file, wrongAreas, "#adm1+code+v_pcode", "#population+num"])
        #expect(missed != 0)
    }

    @Test("a P-code mapping file: the header, two fields, an ISO 3166-2 code, each area once")
    func pcodeMappingFile() throws {
        #expect(Self.pcodes.pcode(area: "TR-34") == "TR34")
        for (text, says) in [
            ("area,pcode\nTR-34,TR34", "header"), ("iso3166_2,pcode\nTR-34", "line 2"),
            ("iso3166_2,pcode\nTR34,TR34", "not an ISO 3166-2"), ("iso3166_2,pcode\nTR-34,A\nTR-34,B", "mapped twice"),
            ("iso3166_2,pcode\nTR-34,=cmd()", "line 2"),
        ] {
            #expect {
                try PCodeMapping.parse(csv: text)
            } throws: { error in
                "\(error)".contains(says)
            }
        }
    }
}
