import Foundation
import PassageConsole
import TestSupport
import Testing

/// REPORT over the console and `passage export --report` end to end: the report with its
/// manifest, made again from the manifest byte for byte (the manifest's `reproduce` line, and
/// `--reproduce FILE`), the xlsx form opened with openpyxl, and the roles of STATS.
@Suite("REPORT end to end", .serialized)
struct ReportEndToEndTests {
    @Test("REPORT: CSV with a manifest, its reproduce line gives the same bytes, xlsx opens, caseworkers refused")
    func reportOverTheConsole() async throws {
        try await LiveServer.with { server in
            try StatsEndToEndTests.populate(server.conninfo)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let reply = try await client.request("REPORT population")
                #expect(reply.code == 250, "\(reply.lines)")
                #expect(reply.data.first?.hasPrefix("origin,female_0-4,") == true)
                #expect(reply.data.contains { $0.hasPrefix("SY,") } && reply.data.contains { $0.hasPrefix("MM,") })
                let manifestLine = try #require(reply.info.first { $0.hasPrefix("manifest: ") })
                let manifest = try #require(
                    try JSONSerialization.jsonObject(with: Data(manifestLine.dropFirst(10).utf8)) as? [String: Any])
                let reproduce = try #require(manifest["reproduce"] as? String)
                #expect(reproduce.hasPrefix("REPORT population k=5 expect="))
                let again = try await client.request(reproduce)
                #expect(again.code == 250, "\(again.lines)")
                #expect(again.data == reply.data)
                let wrong = reproduce.dropLast(64) + String(repeating: "0", count: 64)
                #expect(try await client.request(String(wrong)).code == 551)

                let xlsx = try await client.request("REPORT population format=xlsx")
                #expect(xlsx.dataTitle == "report population xlsx base64")
                let file = NSTemporaryDirectory() + "passage-report-\(UUID().uuidString).xlsx"
                try Data(try #require(DataBlock.fileBytes(xlsx.data))).write(to: URL(fileURLWithPath: file))
                let csvFile = try PythonCheck.temporaryFile(reply.data, suffix: ".csv")
                defer { for path in [file, csvFile] { try? FileManager.default.removeItem(atPath: path) } }
                let (status, output) = try await PythonCheck.run("check_xlsx.py", [file, "--csv", csvFile])
                #expect(status == 0, "\(output)")
                #expect(output.contains("sheets=3"))
                for kind in ["gbvims", "referrals"] {
                    #expect(try await client.request("REPORT \(kind)").code == 250)
                }
                #expect(try await client.request("REPORT census").code == 501)
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("REPORT population").code == 530)
            }
        }
    }

    @Test("passage export --report writes the report and its manifest; --reproduce makes the same file")
    func reportFromTheCommandLine() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        try StatsEndToEndTests.populate(conninfo)
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        let base = NSTemporaryDirectory() + "passage-report-\(UUID().uuidString)"
        defer {
            for suffix in [".csv", ".json", ".again.csv", ".xlsx", ".again.xlsx", ".x.json"] {
                try? FileManager.default.removeItem(atPath: base + suffix)
            }
        }
        let database = ["export", "--database-url", conninfo, "--schema-dir", schema]
        for (format, manifest) in [("csv", ".json"), ("xlsx", ".x.json")] {
            let (made, madeOutput) = try await PythonCheck.runProgram(
                passage,
                database + [
                    "--report", "referrals", "--format", format, "--output", base + "." + format, "--manifest",
                    base + manifest,
                ])
            #expect(made == 0, "\(madeOutput)")
            let (again, againOutput) = try await PythonCheck.runProgram(
                passage,
                database + ["--reproduce", base + manifest, "--format", format, "--output", base + ".again." + format])
            #expect(again == 0, "\(againOutput)")
            let first = try #require(FileManager.default.contents(atPath: base + "." + format))
            #expect(FileManager.default.contents(atPath: base + ".again." + format) == first)
            let text = try String(contentsOfFile: base + manifest, encoding: .utf8)
            #expect(text.contains("\"report\":\"referrals\""))
        }
    }
}
