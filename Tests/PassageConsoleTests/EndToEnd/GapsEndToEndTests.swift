import Foundation
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

@Suite("GAPS end to end over TCP and PostgreSQL")
struct GapsEndToEndTests {
    @Test("policy staff and analysts get protected gap tables with their scope; others are refused")
    func gapsOverTheConsole() async throws {
        try await LiveServer.with { server in
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            _ = try GapFixture(on: db)
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                for kind in ["unmet", "overdue", "coverage", "outcomes"] {
                    let reply = try await client.request("GAPS \(kind)")
                    #expect(reply.code == 250, "GAPS \(kind) → \(reply.code) \(reply.text)")
                    #expect(reply.info.contains("scope: every organisation"))
                    #expect(reply.info.contains { $0.hasPrefix("protection: cell_key_perturbation") })
                    #expect(reply.info.contains { $0.hasPrefix("protection: small_cell_suppression k=5") })
                }
                let unmet = try await client.request("GAPS unmet by=freedom,sex days=3")
                #expect(unmet.code == 250)
                #expect(
                    unmet.data.first?.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                        == ["freedom", "sex", "identified", "referred", "met", "unmet", "unmet_rate"])
                #expect(unmet.info.contains { $0.hasPrefix("release: ") && $0.contains("the release's boundary") })
                #expect(try await client.request("GAPS unmet by=service").code == 501)
                #expect(try await client.request("GAPS coverage by=provider").code == 501)
                #expect(try await client.request("GAPS unmet area=colombia").code == 501)
                #expect(try await client.request("GAPS sideways").code == 501)
                #expect(
                    try await client.request("GAPS outcomes by=quarter category=refugee_asylum area=CO").code == 250)
                _ = try await client.request("FORMAT json")
                let json = try await client.request("GAPS overdue by=priority")
                #expect(json.code == 250)
                #expect(json.text.contains(#""kind":"overdue""#))
            }
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                let reply = try await client.request("GAPS coverage")
                #expect(reply.code == 250)
                #expect(reply.info.contains("scope: organisation ngo-a"))
                // Issue 17: the answer is the release's; a refresh of the rollup (or any change)
                // does not alter it within the period.
                try GapRollup().refresh(on: db)
                let rolled = try await client.request("GAPS coverage")
                #expect(rolled.code == 250)
                #expect(
                    rolled.info.first { $0.hasPrefix("release: ") } == reply.info.first { $0.hasPrefix("release: ") })
                #expect(rolled.data == reply.data)
                #expect(
                    try await client.request("GAPS coverage area=CO-ANT").info.contains { $0.hasPrefix("release: ") })
            }
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("GAPS unmet").code == 530)
            }
            // Each query is audited with what was asked.
            let audited = try db.query("SELECT count(*) FROM audit_log WHERE action LIKE 'gaps.%'")[0].decode(
                Int64.self, at: 0)
            #expect(audited >= 7)
        }
    }
}
