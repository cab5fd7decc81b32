import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import TestSupport
import Testing

/// `GET /v1/reports/{kind}`: the report in JSON with its manifest, in CSV with the manifest in a
/// header and the same lines as the service makes, `expect=` refusing another content (409), and
/// the roles of STATS.
@Suite(.serialized) struct ReportOperationsTests {
    @Test func reportsWithTheirManifestReproducedOrRefused() async throws {
        try await HTTPFixture.with(accounts: StatisticsOperationsTests.accounts) { fixture, client in
            try await StatisticsOperationsTests.populate(fixture)
            let policy = try await client.signIn("policy")
            let json = try await client.call(.get, "/v1/reports/population", as: policy)
            #expect(json.status == .ok, "\(json.text)")
            let body = try #require(json.json)
            let manifest = try #require(body["manifest"] as? [String: Any])
            #expect(manifest["report"] as? String == "population")
            #expect((body["columns"] as? [String])?.first == "origin")
            let hash = try #require((manifest["content"] as? [String: Any])?["csv_sha256"] as? String)

            let csv = try await client.call(.get, "/v1/reports/population?format=csv&expect=\(hash)", as: policy)
            #expect(csv.status == .ok, "\(csv.text)")
            #expect(csv.headers[HTTPField.Name("Passage-Report-Manifest")!]?.contains(hash) == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(StandardReports.sha256(Array(lines.map { $0 + "\n" }.joined().utf8)) == hash)

            let other = try await client.call(
                .get, "/v1/reports/population?expect=" + String(repeating: "0", count: 64), as: policy)
            #expect(other.status == .conflict, "\(other.text)")
            let xlsx = try await client.call(.get, "/v1/reports/referrals?format=xlsx", as: policy)
            #expect(xlsx.status == .ok && xlsx.headers[.contentType] == XLSXWorkbook.mediaType)
            #expect(try await client.call(.get, "/v1/reports/census", as: policy).status == .badRequest)
            let caseworker = try await client.signIn("caseworker")
            #expect(try await client.call(.get, "/v1/reports/population", as: caseworker).status == .forbidden)
        }
    }
}
