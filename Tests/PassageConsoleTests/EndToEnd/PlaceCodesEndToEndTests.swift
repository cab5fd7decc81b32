import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

/// `passage serve --pcodes`: with the operator's P-code mapping, STATS and GAPS `format=hxl` over
/// the console add an `area_pcode` column (`#adm1+code+v_pcode`) after each area; an area the
/// mapping lacks is an empty field; without a mapping the column is not there.
@Suite("P-codes in the console's HXL (serve --pcodes)")
struct PlaceCodesEndToEndTests {
    static let mapping = try! PCodeMapping.parse(csv: "iso3166_2,pcode\nCO-ANT,CO05\n")

    @Test("STATS and GAPS format=hxl carry area_pcode with the mapping, and not without it")
    func hxlWithPCodes() async throws {
        try await LiveServer.with(placeCodes: Self.mapping) { server in
            try StatsEndToEndTests.populate(server.conninfo)
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            _ = try GapFixture(on: db)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let stats = try await client.request("STATS by=area format=hxl")
                #expect(stats.code == 250, "\(stats.text)")
                #expect(
                    Array(stats.data.prefix(2)) == [
                        "area,area_pcode,count,suppressed",
                        "#adm1+code+v_iso3166_2,#adm1+code+v_pcode,#affected+ind+total,#meta+suppressed",
                    ])
                #expect(stats.data.contains { $0.hasPrefix("CO-ANT,CO05,") }, "\(stats.data)")
                #expect(stats.data.contains { $0.hasPrefix("CO-BOL,,") }, "\(stats.data)")
                // Plain CSV keeps the contract's columns.
                #expect(try await client.request("STATS by=area format=csv").data.first == "area,count,suppressed")

                let gaps = try await client.request("GAPS unmet by=area format=hxl")
                #expect(gaps.code == 250, "\(gaps.text)")
                let header = gaps.data.first?.split(separator: ",").map(String.init) ?? []
                #expect(Array(header.prefix(2)) == ["area", "area_pcode"], "\(gaps.data)")
                #expect(gaps.data.dropFirst().first?.hasPrefix("#adm1+code+v_iso3166_2,#adm1+code+v_pcode,") == true)
                let csv = try await client.request("GAPS unmet by=area format=csv")
                #expect(csv.code == 250 && csv.data.first?.hasPrefix("area,identified") == true, "\(csv.data)")
                #expect(try await client.request("GAPS unmet format=pdf").code == 501)
            }
        }
        try await LiveServer.with { server in
            try StatsEndToEndTests.populate(server.conninfo)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                let stats = try await client.request("STATS by=area format=hxl")
                #expect(stats.data.first == "area,count,suppressed")
            }
        }
    }
}
