import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// `GET /v1/gaps/{kind}` over the real GapsService: the table in JSON (suppressed counts null,
/// never 0), CSV and HXL (checked with libhxl) with the release and protections, the roles and
/// organisation scope of GAPS, arguments named, and the audit entry.
@Suite(.serialized) struct GapsOperationsTests {
    static let accounts =
        HTTPFixture.standardAccounts + [
            (name: "gap-analyst", role: Role.analyst, organisation: "ngo-a"),
            (name: "gap-policy", role: Role.policy, organisation: "ngo-a"),
        ]

    /// GapFixture's world (Docs/gaps.md), plus 12 open needs on ngo-a's c1 (CO-ANT) and 12 on a
    /// case of ngo-b in CO-SAN, all identified 9 days before the fixture's day: old enough to
    /// count as unmet, and recorded before the current release's boundary.
    static func populate(_ fixture: HTTPFixture) async throws {
        try await fixture.pool.transaction { db in
            let world = try GapFixture(on: db)
            let other = try GapFixture.refugeeCase(
                "c9", organisation: world.organisationB, area: "CO-SAN", sex: "male", on: db)
            for (caseID, code) in [(world.cases["c1"]!, "LP-ND"), (other, "SM")] {
                for _ in 0..<12 {
                    try db.execute(
                        """
                        INSERT INTO needs (case_id, organisation_id, code, priority, status, identified_by, identified_at)
                        SELECT id, organisation_id, \(code), 'normal', 'open', 'cw', \(GapFixture.ago(days: 9)) FROM cases WHERE id = \(caseID)
                        """)
                }
            }
        }
    }

    static func rows(_ response: TestResponse) -> [[String: Any]] {
        response.json?["rows"] as? [[String: Any]] ?? []
    }

    @Test func jsonIsTheReleasesTableWithSuppressedCountsNull() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("gap-analyst")
            let response = try await client.call(.get, "/v1/gaps/unmet?by=area", as: analyst)
            #expect(response.status == .ok, "\(response.text)")
            let body = try #require(response.json)
            #expect(body["kind"] as? String == "unmet")
            #expect(body["scope"] as? String == "organisation")
            #expect(body["organisation"] as? String == "ngo-a")
            #expect((body["release"] as? String)?.count == 10)
            #expect(body["period"] as? String == "month")
            #expect((body["as_of"] as? String).flatMap(ISO8601DateFormatter().date(from:)) != nil)
            #expect(body["k"] as? Int == 5)
            let columns = (body["columns"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(columns == ["area", "identified", "referred", "met", "unmet", "unmet_rate"])
            let rows = Self.rows(response)
            // ngo-a's CO-ANT: 12 + 4 open needs identified, far above k; ngo-b's CO-SAN is not the analyst's.
            let antioquia = try #require(rows.first { $0["area"] as? String == "CO-ANT" })
            #expect((antioquia["identified"] as? Int ?? 0) >= 5)
            #expect(!rows.contains { $0["area"] as? String == "CO-SAN" })
            for row in rows {
                #expect(Set(row.keys) == Set(columns), "every column in every row, null when not shown")
                // The one met need of CO-ANT (n3) is below k: null, never 0.
            }
            #expect(antioquia.keys.contains("met") && antioquia["met"] is NSNull)
            #expect(!response.text.contains(#""met":0"#))
            let names = (body["protections"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("small_cell_suppression") && names.contains("cell_key_perturbation"))

            let policy = try await client.signIn("gap-policy")
            let every = try await client.call(.get, "/v1/gaps/unmet?by=area", as: policy)
            #expect(every.json?["scope"] as? String == "every_organisation")
            #expect(every.json?["organisation"] is NSNull)
            #expect(Self.rows(every).contains { $0["area"] as? String == "CO-SAN" })
        }
    }

    @Test func csvAndHXLCarryTheReleaseAndProtectionsInHeaders() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let policy = try await client.signIn("gap-policy")
            let json = try await client.call(.get, "/v1/gaps/unmet?by=area,freedom", as: policy)
            let csv = try await client.call(
                .get, "/v1/gaps/unmet?by=area,freedom", as: policy, headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[PassageHeader.release] == json.json?["release"] as? String)
            #expect(csv.headers[PassageHeader.protections]?.contains("small_cell_suppression k=5") == true)
            #expect(csv.headers[HTTPField.Name("Passage-Scope")!] == "every_organisation")
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "area,freedom,identified,referred,met,unmet,unmet_rate")
            // The same rows as the JSON form, a count not shown an empty field.
            let rows = Self.rows(json)
            #expect(lines.count == 1 + rows.count)
            for (line, row) in zip(lines.dropFirst(), rows) {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(fields[0] == row["area"] as? String && fields[1] == row["freedom"] as? String)
                for (index, name) in ["identified", "referred", "met", "unmet"].enumerated() {
                    #expect(fields[2 + index] == ((row[name] as? Int).map(String.init) ?? ""), "\(name): \(line)")
                }
            }

            let hxl = try await client.call(.get, "/v1/gaps/unmet?by=area,freedom&format=hxl", as: policy)
            #expect(hxl.status == .ok)
            #expect(hxl.headers[.contentType]?.contains("profile=hxl") == true)
            #expect(hxl.headers[.contentDisposition]?.contains("passage-gaps-unmet-") == true)
            let hxlLines = hxl.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                hxlLines[1]
                    == "#adm1+code+v_iso3166_2,#sector+freedom,#indicator+num+needs+identified,#indicator+num+needs+referred,#indicator+num+needs+met,#indicator+num+needs+unmet,#indicator+num+unmet_rate"
            )
            let file = try PythonCheck.temporaryFile(hxlLines, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, output) = try await PythonCheck.run(
                "check_hxl.py", [file, "#adm1+code+v_iso3166_2", "#indicator+num+needs+unmet", "#indicator+num+unmet_rate"])
            #expect(status == 0, "\(output)")

            // Outcomes and coverage too: their labels and registry figures as HXL.
            for kind in ["coverage", "outcomes", "overdue"] {
                let answer = try await client.call(.get, "/v1/gaps/\(kind)?format=hxl", as: policy)
                #expect(answer.status == .ok, "\(kind): \(answer.text)")
                let kindLines = answer.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(kindLines.count >= 2 && kindLines[1].hasPrefix("#"), "\(kind)")
            }
        }
    }

    @Test func onlyTheGapsRolesMayAsk() async throws {
        try await HTTPFixture.with { _, client in
            for role in Role.allCases {
                let session = try await client.signIn(role.rawValue)
                let response = try await client.call(.get, "/v1/gaps/overdue", as: session)
                #expect(
                    response.status == (UseCase.gaps.allows(role) ? .ok : .forbidden), "\(role): \(response.text)")
            }
        }
    }

    @Test func aWrongArgumentIs400NamingIt() async throws {
        try await HTTPFixture.with { fixture, client in
            let analyst = try await client.signIn("analyst")
            for (path, argument) in [
                ("/v1/gaps/late", "kind"), ("/v1/gaps/unmet?by=shoe_size", "by"), ("/v1/gaps/unmet?by=provider", "by"),
                ("/v1/gaps/unmet?by=area,area", "by"), ("/v1/gaps/unmet?area=Colombia", "area"),
                ("/v1/gaps/unmet?area=co-ant", "area"), ("/v1/gaps/unmet?category=tourist", "category"),
                ("/v1/gaps/unmet?days=0", "days"), ("/v1/gaps/unmet?days=3651", "days"),
                ("/v1/gaps/unmet?format=xml", "format"),
            ] {
                let response = try await client.call(.get, path, as: analyst)
                #expect(response.status == .badRequest, "\(path): \(response.status)")
                #expect(response.json?["argument"] as? String == argument, "\(path): \(response.text)")
            }
            let entries = try await fixture.services.audit.tail(
                100, by: Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test"))
            #expect(!entries.contains { $0.action.hasPrefix("gaps.") })
        }
    }

    @Test func eachAnswerIsAuditedUnderTheSignedInUser() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.populate(fixture)
            let analyst = try await client.signIn("gap-analyst")
            #expect(try await client.call(.get, "/v1/gaps/unmet?by=area&days=14", as: analyst).status == .ok)
            #expect(try await client.call(.get, "/v1/gaps/coverage?format=csv", as: analyst).status == .ok)
            let entries = try await fixture.services.audit.tail(
                100, by: Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test"))
            let unmet = entries.filter { $0.action == AuditAction.gapsUnmet.rawValue }
            #expect(unmet.count == 1)
            #expect(unmet.first?.actor == "gap-analyst" && unmet.first?.subject == "organisation:ngo-a")
            #expect(unmet.first?.detail.contains("days=14") == true)
            #expect(entries.contains { $0.action == AuditAction.gapsCoverage.rawValue && $0.actor == "gap-analyst" })
        }
    }
}
