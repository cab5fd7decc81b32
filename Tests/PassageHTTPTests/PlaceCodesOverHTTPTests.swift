import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import TestSupport
import Testing

/// `passage serve --pcodes` over the API: `GET /v1/statistics` and `GET /v1/gaps/{kind}` in HXL add
/// `area_pcode` (`#adm1+code+v_pcode`) after the area with the operator's mapping; CSV keeps the
/// contract's columns.
@Suite(.serialized) struct PlaceCodesOverHTTPTests {
    static let mapping = try! PCodeMapping.parse(csv: "iso3166_2,pcode\nCO-ANT,CO05\n")

    @Test func hxlCarriesThePCodesOfTheMapping() async throws {
        try await HTTPFixture.with(
            accounts: StatisticsOperationsTests.accounts, services: { $0.placeCodes = Self.mapping }
        ) { fixture, client in
            try await StatisticsOperationsTests.populate(fixture)
            let policy = try await client.signIn("policy")
            let hxl = try await client.call(.get, "/v1/statistics?by=area&format=hxl", as: policy)
            #expect(hxl.status == .ok)
            let lines = hxl.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                Array(lines.prefix(2)) == [
                    "area,area_pcode,count,suppressed",
                    "#adm1+code+v_iso3166_2,#adm1+code+v_pcode,#affected+ind+total,#meta+suppressed",
                ])
            #expect(lines.contains { $0.hasPrefix("CO-ANT,CO05,") } && lines.contains { $0.hasPrefix("CO-BOL,,") })
            let csv = try await client.call(.get, "/v1/statistics?by=area&format=csv", as: policy)
            #expect(csv.text.hasPrefix("area,count,suppressed\r\n"))

            let gaps = try await client.call(.get, "/v1/gaps/unmet?by=area&format=hxl", as: policy)
            #expect(gaps.status == .ok, "\(gaps.text)")
            let gapLines = gaps.text.components(separatedBy: "\r\n")
            #expect(gapLines.first?.hasPrefix("area,area_pcode,") == true, "\(gaps.text)")
            #expect(gapLines.dropFirst().first?.hasPrefix("#adm1+code+v_iso3166_2,#adm1+code+v_pcode,") == true)
        }
    }
}
