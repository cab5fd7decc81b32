import Foundation
import PassageConsole
import TestSupport
import Testing

/// `format=xlsx` end to end: STATS and GAPS over the console (the workbook in base64 lines,
/// DataBlock.file) and `passage export --format xlsx`, each opened with openpyxl
/// (Tests/Python/check_xlsx.py): the same rows and numbers as the CSV of the same release, the
/// protections on a sheet of their own, no formula anywhere.
@Suite("format=xlsx end to end", .serialized)
struct XLSXEndToEndTests {
    static func temporary(_ bytes: [UInt8]) throws -> String {
        let file = NSTemporaryDirectory() + "passage-\(UUID().uuidString).xlsx"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @Test(
        "STATS format=xlsx holds the CSV's cells and the protections; GAPS format=xlsx opens; analysts and policy only")
    func statsAndGapsOverTheConsole() async throws {
        try await LiveServer.with { server in
            try StatsEndToEndTests.populate(server.conninfo)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let csv = try await client.request("STATS by=origin,sex,age_band totals=yes format=csv")
                let xlsx = try await client.request("STATS by=origin,sex,age_band totals=yes format=xlsx")
                #expect(xlsx.code == 250, "\(xlsx.lines)")
                #expect(xlsx.dataTitle == "stats xlsx base64")
                #expect(xlsx.info == csv.info)
                let bytes = try #require(DataBlock.fileBytes(xlsx.data))
                #expect(xlsx.text.contains("bytes=\(bytes.count)"))
                let file = try Self.temporary(bytes)
                let csvFile = try PythonCheck.temporaryFile(csv.data, suffix: ".csv")
                defer { for path in [file, csvFile] { try? FileManager.default.removeItem(atPath: path) } }
                let (status, output) = try await PythonCheck.run("check_xlsx.py", [file, "--csv", csvFile])
                #expect(status == 0, "\(output)")
                #expect(output.contains("xlsx: ok sheets=2 rows=\(csv.data.count)"))
                // The same release, the same bytes.
                let again = try await client.request("STATS by=origin,sex,age_band totals=yes format=xlsx")
                #expect(again.data == xlsx.data)

                let gaps = try await client.request("GAPS unmet by=origin format=xlsx")
                #expect(gaps.code == 250, "\(gaps.lines)")
                #expect(gaps.dataTitle == "gaps unmet xlsx base64")
                let gapsFile = try Self.temporary(try #require(DataBlock.fileBytes(gaps.data)))
                defer { try? FileManager.default.removeItem(atPath: gapsFile) }
                let (gapsStatus, gapsOutput) = try await PythonCheck.run("check_xlsx.py", [gapsFile])
                #expect(gapsStatus == 0, "\(gapsOutput)")
                #expect(try await client.request("GAPS unmet format=pdf").code == 501)
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("STATS by=origin format=xlsx").code == 530)
            }
        }
    }

    @Test("passage export --format xlsx: the aggregates' and the microdata's cells, as the CSV of the same release")
    func exportFromTheCommandLine() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        try StatsEndToEndTests.populate(conninfo)
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        for arguments in [["--by", "origin,sex"], ["--microdata"]] {
            let base = NSTemporaryDirectory() + "passage-export-\(UUID().uuidString)"
            defer { for suffix in [".csv", ".xlsx"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
            for format in ["csv", "xlsx"] {
                let (status, output) = try await PythonCheck.runProgram(
                    passage,
                    [
                        "export", "--database-url", conninfo, "--schema-dir", schema, "--format", format, "--output",
                        base + "." + format,
                    ]
                        + arguments)
                #expect(status == 0, "\(output)")
            }
            let (status, output) = try await PythonCheck.run("check_xlsx.py", [base + ".xlsx", "--csv", base + ".csv"])
            #expect(status == 0, "\(arguments): \(output)")
        }
    }
}
