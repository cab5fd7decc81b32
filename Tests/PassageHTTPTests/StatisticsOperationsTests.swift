import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageConsole
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// `GET /v1/statistics` and `GET /v1/exports/microdata` over the real services: the three forms
/// (JSON, CSV, HXL checked with libhxl), suppressed cells null and never 0, the protections in
/// fields and headers, the roles and organisation scope of STATS, arguments named, audit written.
@Suite(.serialized) struct StatisticsOperationsTests {
    static let accounts =
        HTTPFixture.standardAccounts + [(name: "beta-analyst", role: Role.analyst, organisation: "Beta")]

    /// Alpha (the standard accounts' organisation): 4 origins × 2 sexes × 5 ages × 2 areas, 3–8
    /// cases each (about 440); Beta: 30 cases from MM. All recorded last month: in the release.
    static func populate(_ fixture: HTTPFixture) async throws {
        try await fixture.pool.transaction { connection in
            let alpha = try OrganisationStore.id(named: "Alpha", create: true, on: connection)
            let beta = try OrganisationStore.id(named: "Beta", create: true, on: connection)
            var random = SplitMix64(seed: 20)
            var cases: [FixtureCase] = []
            for origin in ["SY", "AF", "VE", "UA"] {
                for sex in ["female", "male"] {
                    for age in [3, 8, 15, 30, 70] {
                        for area in ["CO-ANT", "CO-BOL"] {
                            let one = FixtureCase(
                                category: age < 18 ? "refugee_asylum" : "idp", origin: origin, sex: sex, age: age,
                                area: area)
                            cases += Array(repeating: one, count: 3 + Int(random.next() % 6))
                        }
                    }
                }
            }
            try StatisticsFixtures.insert(cases, organisation: alpha, on: connection)
            try StatisticsFixtures.insert(
                Array(repeating: FixtureCase(category: "trafficked", origin: "MM"), count: 30), organisation: beta,
                on: connection)
        }
    }

    static func cells(_ response: TestResponse) -> [[String: Any]] {
        response.json?["cells"] as? [[String: Any]] ?? []
    }

    @Test func jsonIsTheTableWithSuppressedCellsNullAndItsProtections() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("analyst")
            let response = try await client.call(.get, "/v1/statistics?by=origin,sex&k=5", as: analyst)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try #require(response.json)
            #expect(body["of"] as? String == "cases")
            #expect(body["dimensions"] as? [String] == ["origin", "sex"])
            #expect((body["release"] as? String)?.count == 10)
            #expect(body["epsilon_spent"] as? Double == 0)
            #expect(body["budget_left"] is NSNull)
            let cells = Self.cells(response)
            // 4 origins of Alpha (Beta's MM is not the analyst's) × 4 sexes: every combination listed.
            #expect(cells.count == 16)
            let origins = Set(cells.compactMap { ($0["values"] as? [String: String])?["origin"] })
            #expect(origins == ["SY", "AF", "VE", "UA"])
            var suppressed = 0
            for cell in cells {
                if cell["suppressed"] as? Bool == true {
                    suppressed += 1
                    // Present and null: a hidden cell is not a zero.
                    #expect(cell.keys.contains("count") && cell["count"] is NSNull)
                } else {
                    #expect((cell["count"] as? Int ?? 0) >= 5)
                }
            }
            // Nobody is recorded as "other" or "unknown": those 8 cells are true zeros, suppressed.
            #expect(suppressed >= 8)
            #expect(!response.text.contains(#""count":0"#))
            let protections = try #require(body["protections"] as? [[String: Any]])
            let names = protections.compactMap { $0["name"] as? String }
            #expect(names.contains("small_cell_suppression"))
            #expect(names.contains("cell_key_perturbation"))
            #expect(names.contains("release"))
            let smallCells = protections.first { $0["name"] as? String == "small_cell_suppression" }
            #expect((smallCells?["parameters"] as? [String: String])?["k"] == "5")
            #expect((smallCells?["summary"] as? String)?.hasPrefix("small_cell_suppression k=5") == true)

            let policy = try await client.signIn("policy")
            let everyOrganisation = try await client.call(.get, "/v1/statistics?by=origin", as: policy)
            #expect(Self.cells(everyOrganisation).contains { ($0["values"] as? [String: String])?["origin"] == "MM" })
            let beta = try await client.signIn("beta-analyst")
            let own = try await client.call(.get, "/v1/statistics?by=origin", as: beta)
            #expect(Self.cells(own).compactMap { ($0["values"] as? [String: String])?["origin"] } == ["MM"])
        }
    }

    @Test func csvIsTheConsolesTableWithTheProtectionsInHeaders() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("analyst")
            let response = try await client.call(
                .get, "/v1/statistics?by=origin,sex&category=idp", as: analyst, headers: [.accept: "text/csv"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.headers[.contentType]?.contains("profile=hxl") == false)
            #expect(response.headers[.vary] == "Accept")
            let lines = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "origin,sex,count,suppressed")
            #expect(lines.count == 17)
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                #expect(fields.count == 4)
                if fields[3] == "true" { #expect(fields[2] == "") } else { #expect((Int(fields[2]) ?? 0) >= 5) }
            }
            let protections = try #require(response.headers[PassageHeader.protections])
            #expect(protections.contains("small_cell_suppression k=5 zeros=suppressed"))
            #expect(protections.contains("cell_key_perturbation D=3"))
            #expect(protections.contains("filter category=idp"))
            #expect(response.headers[PassageHeader.release]?.count == 10)
            #expect(response.headers[PassageHeader.counted] == "cases")
            #expect(response.headers[.contentDisposition]?.contains("passage-statistics-cases-") == true)

            // The same text as the console's STATS format=csv (one renderer), for the same release.
            let actor = Actor(name: "analyst", role: .analyst, organisation: "Alpha", source: "test")
            let export = try await fixture.services.statistics.aggregates(
                AggregateRequest(by: ["origin", "sex"], filters: [.init(dimension: "category", value: "idp")]),
                by: actor)
            #expect(lines == StatisticsFormat.csv.lines(export))
            #expect(response.headers[PassageHeader.release] == export.release)
            let json = try await client.call(.get, "/v1/statistics?by=origin,sex&category=idp&format=json", as: analyst)
            #expect(json.json?["release"] as? String == export.release)
        }
    }

    @Test func hxlParsesWithLibhxlByAcceptAndByFormat() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let policy = try await client.signIn("policy")
            let byAccept = try await client.call(
                .get, "/v1/statistics?by=category,origin,area,sex,age_band", as: policy,
                headers: [.accept: "application/xml;q=0.9, text/csv; profile=hxl"])
            #expect(byAccept.status == .ok)
            #expect(byAccept.headers[.contentType]?.contains("profile=hxl") == true)
            #expect(byAccept.headers[.contentDisposition]?.hasSuffix(".hxl.csv\"") == true)
            let lines = byAccept.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                lines[1]
                    == "#group+category+code,#country+code+origin+v_iso2,#country+code+origin+v_iso3,#adm1+code+v_iso3166_2,#group+sex,#group+age,#affected+ind+total,#meta+suppressed"
            )
            let file = try PythonCheck.temporaryFile(lines, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, output) = try await PythonCheck.run(
                "check_hxl.py", [file, "#adm1+code+v_iso3166_2", "#country+code+origin+v_iso3", "#affected+ind+total"])
            #expect(status == 0, "\(output)")
            #expect(output.contains("hxl: ok"))

            // A download link cannot set Accept: ?format=hxl, filters as HXL attributes.
            let girls = try await client.call(
                .get, "/v1/statistics?by=origin,area&format=hxl&category=refugee_asylum&sex=female&age_band=0-4",
                as: policy)
            #expect(girls.status == .ok)
            let girlsLines = girls.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                girlsLines[1]
                    == "#country+code+origin+v_iso2,#country+code+origin+v_iso3,#adm1+code+v_iso3166_2,#affected+ind+refugees+f+children+age0_4+total,#meta+suppressed")
            #expect(girls.headers[PassageHeader.protections]?.contains("filter category=refugee_asylum") == true)
            let girlsFile = try PythonCheck.temporaryFile(girlsLines, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: girlsFile) }
            let (girlsStatus, girlsOutput) = try await PythonCheck.run(
                "check_hxl.py", [girlsFile, "#affected+ind+refugees+f+children+age0_4+total"])
            #expect(girlsStatus == 0, "\(girlsOutput)")
        }
    }

    @Test func onlyTheStatisticsRolesMayAsk() async throws {
        try await HTTPFixture.with { _, client in
            for role in Role.allCases {
                let session = try await client.signIn(role.rawValue)
                let response = try await client.call(.get, "/v1/statistics?by=sex", as: session)
                let microdata = try await client.call(.get, "/v1/exports/microdata", as: session)
                if Role.aggregateOnly.contains(role) {
                    #expect(response.status == .ok, "\(role)")
                    #expect(microdata.status != .forbidden, "\(role)")
                } else {
                    #expect(response.status == .forbidden, "\(role)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(microdata.status == .forbidden, "\(role)")
                }
            }
            #expect(try await client.call(.get, "/v1/statistics?by=sex", as: nil).status == .unauthorized)
        }
    }

    @Test func aWrongArgumentIs400NamingItAndExportsNothing() async throws {
        try await HTTPFixture.with { fixture, client in
            let analyst = try await client.signIn("analyst")
            for (query, argument) in [
                ("by=shoe_size", "by"), ("by=origin&k=4", "k"), ("by=origin&k=many", "k"), ("of=people", "of"),
                ("category=tourist", "category"), ("sex=f", "sex"), ("age_band=0-5", "age_band"),
                ("totals=maybe", "totals"), ("from=2026-13", "from"), ("to=2026-02-30", "to"), ("format=xml", "format"),
                ("dp=0.5", "dp"), ("by=service&of=cases", "by"), ("by=origin,origin", "by"),
            ] {
                let response = try await client.call(.get, "/v1/statistics?\(query)", as: analyst)
                #expect(response.status == .badRequest, "\(query): \(response.status) \(response.text)")
                #expect(response.json?["argument"] as? String == argument, "\(query): \(response.text)")
            }
            let entries = try await fixture.services.audit.tail(
                100, by: Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test"))
            #expect(!entries.contains { $0.action == AuditAction.statsExport.rawValue })
            let refused = try await client.call(
                .get, "/v1/statistics?by=sex", as: analyst, headers: [.accept: "text/html"])
            #expect(refused.status == .notAcceptable)
        }
    }

    @Test func aSecondHeavyQueryAtOnceIs429WithRetryAfter() async throws {
        let limit = HeavyQueryLimit(perUser: 1, total: 4)
        try await HTTPFixture.with(heavyQueries: limit) { _, client in
            let analyst = try await client.signIn("analyst")
            // As if a STATS or GAPS of the analyst's were running (on the console or over HTTP).
            try limit.admit("analyst")
            for path in ["/v1/statistics?by=sex", "/v1/gaps/unmet", "/v1/exports/microdata"] {
                let busy = try await client.call(.get, path, as: analyst)
                #expect(busy.status == .tooManyRequests, "\(path)")
                #expect(busy.headers[.retryAfter] != nil, "\(path)")
                #expect(busy.json?["type"] as? String == "/problems/busy", "\(path)")
            }
            limit.release("analyst")
            #expect(try await client.call(.get, "/v1/statistics?by=sex", as: analyst).status == .ok)
            #expect(limit.runningCount == 0)
        }
    }

    @Test func eachTableIsAuditedUnderTheSignedInUser() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("analyst")
            #expect(try await client.call(.get, "/v1/statistics?by=origin", as: analyst).status == .ok)
            #expect(
                try await client.call(.get, "/v1/statistics?by=sex&format=csv", as: analyst).status == .ok)
            let entries = try await fixture.services.audit.tail(
                100, by: Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test"))
            let exports = entries.filter { $0.action == AuditAction.statsExport.rawValue }
            #expect(exports.count == 2)
            #expect(exports.allSatisfy { $0.actor == "analyst" && $0.subject == "stats:cases" })
            #expect(exports.first?.detail.contains("by=origin") == true)
            #expect(exports.allSatisfy { $0.detail.contains("scope=organisation:") })
        }
    }

    @Test func microdataIsTheReleasesFileInJSONOrCSVWithItsRisk() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("analyst")
            let response = try await client.call(.get, "/v1/exports/microdata", as: analyst)
            #expect(response.status == .ok, "\(response.text)")
            let body = try #require(response.json)
            let columns = try #require(body["columns"] as? [String])
            #expect(columns == ["age_band", "sex", "origin", "area", "month", "category"])
            let rows = try #require(body["rows"] as? [[String]])
            #expect(rows.count > 300)
            // Alpha's cases only: Beta's MM never appears.
            #expect(!rows.contains { $0.contains("MM") })
            #expect((body["global_risk"] as? Double ?? 1) < 0.01)
            let names = (body["protections"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("k_anonymity") && names.contains("reidentification_risk"))

            let csv = try await client.call(
                .get, "/v1/exports/microdata", as: analyst, headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == columns.joined(separator: ","))
            // The release's file: the same rows in both forms.
            #expect(lines.dropFirst().map { $0.components(separatedBy: ",") } == rows)
            #expect(csv.headers[PassageHeader.protections]?.contains("k_anonymity k=11") == true)
            #expect(csv.headers[PassageHeader.release]?.count == 10)
            let file = try PythonCheck.temporaryFile(lines, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (checked, report) = try await PythonCheck.run(
                "check_microdata.py", [file, "11", "age_band,sex,origin,area,month,category"])
            #expect(checked == 0, "\(report)")

            for (query, argument) in [("k=5", "k"), ("l_diversity=1", "l_diversity"), ("format=hxl", "format")] {
                let refused = try await client.call(.get, "/v1/exports/microdata?\(query)", as: analyst)
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.json?["argument"] as? String == argument, "\(query)")
            }
            let entries = try await fixture.services.audit.tail(
                100, by: Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test"))
            #expect(entries.contains { $0.action == AuditAction.statsMicrodata.rawValue && $0.actor == "analyst" })
        }
    }
}

/// The headers the CSV and HXL forms carry their protections in (Docs/http-api.md "Statistics").
enum PassageHeader {
    static let protections = HTTPField.Name("Passage-Protections")!
    static let release = HTTPField.Name("Passage-Release")!
    static let counted = HTTPField.Name("Passage-Counted")!
}
