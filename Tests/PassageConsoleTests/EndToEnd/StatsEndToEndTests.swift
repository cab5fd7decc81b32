import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

@Suite("STATS and passage export end to end", .serialized)
struct StatsEndToEndTests {
    static let origins = ["SY", "AF", "VE", "UA"]
    static let bands = [3, 8, 15, 30, 70]

    /// ngo-a: 4 origins × 2 sexes × 5 age bands × 2 areas, 3–8 cases each; ngo-b: 25 cases.
    static func populate(_ conninfo: String) throws {
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: db)
        let ngoB = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
        var random = SplitMix64(seed: 42)
        var cases: [FixtureCase] = []
        for origin in origins {
            for sex in ["female", "male"] {
                for age in bands {
                    for area in ["CO-ANT", "CO-BOL"] {
                        cases += Array(
                            repeating: FixtureCase(
                                category: age < 18 ? "refugee_asylum" : "idp", origin: origin, sex: sex, age: age,
                                area: area),
                            count: 3 + random.below(6))
                    }
                }
            }
        }
        try StatisticsFixtures.insert(cases, organisation: ngoA, on: db)
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "trafficked", origin: "MM"), count: 25), organisation: ngoB, on: db)
    }

    @Test(
        "STATS: analysts see their organisation, policy every one; k below 3 is 501; protections in info lines; repeatable"
    )
    func statsOverTheConsole() async throws {
        try await LiveServer.with { server in
            try Self.populate(server.conninfo)
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                let reply = try await client.request("STATS by=origin,sex k=5 format=csv")
                #expect(reply.code == 250)
                #expect(reply.data.first == "origin,sex,count,suppressed")
                #expect(reply.data.count == 1 + 4 * 4)  // 4 origins (MM is another organisation's) × 4 sexes
                #expect(!reply.data.contains { $0.hasPrefix("MM,") })
                #expect(reply.info.contains { $0.contains("protection: small_cell_suppression k=5 zeros=suppressed") })
                #expect(reply.info.contains { $0.contains("protection: cell_key_perturbation D=3") })
                #expect(reply.info.contains { $0.contains("protection: release release=") })
                for line in reply.data.dropFirst() {
                    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    #expect(fields.count == 4)
                    if let count = Int(fields[2]) {
                        #expect(count >= 5 && fields[3] == "false")
                    } else {
                        #expect(fields[2] == "" && fields[3] == "true")
                    }
                }
                let again = try await client.request("STATS by=origin,sex k=5 format=csv")
                #expect(again.data == reply.data)
                #expect(try await client.request("STATS by=origin k=2").code == 501)
                #expect(try await client.request("STATS by=service of=cases").code == 501)
                let json = try await client.request("STATS by=sex format=json")
                #expect(json.data.first?.hasPrefix(#"{"sex":"female","count":"#) == true)
            }
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let reply = try await client.request("STATS by=origin k=5")
                #expect(reply.data.contains { $0.hasPrefix("MM,") })
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("STATS by=origin").code == 530)
            }
        }
    }

    @Test("format=hxl parses and validates with libhxl, with the expected hashtags")
    func hxlValidates() async throws {
        try await LiveServer.with { server in
            try Self.populate(server.conninfo)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let reply = try await client.request("STATS by=category,origin,area,sex,age_band,month format=hxl k=5")
                #expect(reply.code == 250)
                #expect(
                    reply.data[1]
                        == "#group+category+code,#country+code+origin+v_iso2,#country+code+origin+v_iso3,#adm1+code+v_iso3166_2,#group+sex,#group+age,#date+reported,#affected+ind+total,#meta+suppressed"
                )
                let file = try PythonCheck.temporaryFile(reply.data, suffix: ".csv")
                defer { try? FileManager.default.removeItem(atPath: file) }
                let (status, output) = try await PythonCheck.run(
                    "check_hxl.py", [file, "#adm1+code+v_iso3166_2", "#country+code+origin+v_iso3", "#date+reported", "#affected+ind+total"])
                #expect(status == 0, "\(output)")
                #expect(output.contains("hxl: ok"))

                // Filters fix the group: the count column says who is counted, HXL style.
                let girls = try await client.request(
                    "STATS by=origin,area format=hxl category=refugee_asylum sex=female age_band=0-4")
                #expect(girls.code == 250)
                #expect(
                    girls.data[1]
                        == "#country+code+origin+v_iso2,#country+code+origin+v_iso3,#adm1+code+v_iso3166_2,#affected+ind+refugees+f+children+age0_4+total,#meta+suppressed"
                )
                #expect(
                    girls.info.contains {
                        $0.contains("protection: filter category=refugee_asylum sex=female age_band=0-4")
                    })
                let girlsFile = try PythonCheck.temporaryFile(girls.data, suffix: ".csv")
                defer { try? FileManager.default.removeItem(atPath: girlsFile) }
                let (girlsStatus, girlsOutput) = try await PythonCheck.run(
                    "check_hxl.py", [girlsFile, "#affected+ind+refugees+f+children+age0_4+total"])
                #expect(girlsStatus == 0, "\(girlsOutput)")
            }
        }
    }

    @Test("passage export --microdata passes pycanon with k ≥ 11, and l-diversity 2 when asked; aggregates in HXL")
    func microdataPassesPycanon() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        try Self.populate(conninfo)
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        for (arguments, check) in [
            (["--microdata"], ["11", "age_band,sex,origin,area,month,category"]),
            (["--microdata", "--l-diversity", "2"], ["11", "age_band,sex,origin,area,month", "category", "2"]),
        ] {
            let file = NSTemporaryDirectory() + "passage-microdata-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, output) = try await PythonCheck.runProgram(
                passage,
                [
                    "export", "--database-url", conninfo, "--schema-dir", schema,
                    "--output", file,
                ] + arguments)
            #expect(status == 0, "\(output)")
            #expect(output.contains("protection: k_anonymity k=11"))
            #expect(output.contains("protection: reidentification_risk global="), "\(output)")
            let (checked, report) = try await PythonCheck.run("check_microdata.py", [file] + check)
            #expect(checked == 0, "\(report)")
            #expect(report.contains("microdata: ok"))
        }
        let (status, output) = try await PythonCheck.runProgram(
            passage,
            [
                "export", "--database-url", conninfo, "--schema-dir", schema,
                "--by", "origin", "--k", "4",
            ])
        #expect(status != 0 && output.contains("k must be at least 5"), "\(output)")
        // Aggregates from the command line: the console's table, protections on standard error.
        let (exported, text) = try await PythonCheck.runProgram(
            passage,
            [
                "export", "--database-url", conninfo, "--schema-dir", schema,
                "--by", "origin,sex", "--format", "hxl",
            ])
        #expect(exported == 0, "\(text)")
        #expect(
            text.contains(
                "origin,origin_iso3,sex,count,suppressed\n#country+code+origin+v_iso2,#country+code+origin+v_iso3,#group+sex,#affected+ind+total,#meta+suppressed\n"))
        #expect(text.contains("MM,MMR,female,"))
        #expect(text.contains("protection: release release="))

        // --pcodes: an operator's P-code mapping gives HXL its area_pcode column (an area it does
        // not map stays empty); a bad file is refused before anything is read.
        let mapping = try PythonCheck.temporaryFile(["iso3166_2,pcode", "CO-ANT,CO05"], suffix: ".csv")
        let badMapping = try PythonCheck.temporaryFile(["iso3166_2,pcode", "CO-ANT,CO05", "CO-ANT,CO06"], suffix: ".csv")
        defer { for path in [mapping, badMapping] { try? FileManager.default.removeItem(atPath: path) } }
        let export = ["export", "--database-url", conninfo, "--schema-dir", schema, "--by", "area", "--format", "hxl"]
        let (mapped, mappedText) = try await PythonCheck.runProgram(passage, export + ["--pcodes", mapping])
        #expect(mapped == 0, "\(mappedText)")
        #expect(mappedText.contains("area,area_pcode,count,suppressed\n#adm1+code+v_iso3166_2,#adm1+code+v_pcode,#affected+ind+total,#meta+suppressed\n"))
        #expect(mappedText.contains("\nCO-ANT,CO05,") && mappedText.contains("\nCO-BOL,,"), "\(mappedText)")
        let (refused, refusal) = try await PythonCheck.runProgram(passage, export + ["--pcodes", badMapping])
        #expect(refused != 0 && refusal.contains("CO-ANT is mapped twice"), "\(refusal)")
    }
}
