import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Issue 18: GAPS moved from the console onto the GapsService, and its stored releases
/// (`gaps_releases`) were serialised from the console's reply values. A release stored by the
/// console before the move must read back to the very reply it gave then, byte for byte, in
/// text and JSON. The answers and replies below were captured from that code (commit 5a39fd2)
/// over `GapFixture` with extra needs; only the release's day is the current period's.
@Suite("GAPS: releases stored before the move read back to the same replies")
struct GapsStoredReleaseTests {
    /// `GAPS coverage` of every organisation: registry figures, a capacity not stated (null).
    static let coverage = #"""
        {"k": 5, "asOf": 1796083200, "rows": [[{"string": {"_0": "CO-ANT"}}, {"string": {"_0": "food_security"}}, {"int": {"_0": 11}}, {"int": {"_0": 0}}, {"null": {}}, {"string": {"_0": "no_provider"}}], [{"string": {"_0": "CO-ANT"}}, {"string": {"_0": "health"}}, {"int": {"_0": 11}}, {"int": {"_0": 0}}, {"null": {}}, {"string": {"_0": "no_provider"}}], [{"string": {"_0": "CO-ANT"}}, {"string": {"_0": "legal_assistance"}}, {"int": {"_0": 14}}, {"int": {"_0": 1}}, {"int": {"_0": 1}}, {"string": {"_0": "over_capacity"}}], [{"string": {"_0": "CO-ANT"}}, {"string": {"_0": "other"}}, {"int": {"_0": 26}}, {"int": {"_0": 0}}, {"null": {}}, {"string": {"_0": "no_provider"}}], [{"string": {"_0": "CO-ANT"}}, {"string": {"_0": "safe_shelter"}}, {"int": {"_0": 10}}, {"int": {"_0": 1}}, {"int": {"_0": 1}}, {"string": {"_0": "over_capacity"}}]], "columns": ["area", "service", "open_needs", "providers", "capacity", "gap"], "protections": [{"name": "cell_key_perturbation", "parameters": [["D", "3"], ["V", "2.0"], ["key", "sum_of_record_keys_mod_2^32"]]}, {"name": "small_cell_suppression", "parameters": [["k", "5"], ["zeros", "suppressed"], ["rows", "full_cross_product"]]}, {"name": "open_values_listed", "parameters": [["rule", "perturbed_total_at_least_k"]]}, {"name": "release_change", "parameters": [["rule", "threshold_update"], ["held_below", "5"]]}]}
        """#
    /// `GAPS unmet by=freedom,sex days=3`: suppressed parts (null) and rates.
    static let unmet = #"""
        {"k": 5, "asOf": 1796083200, "rows": [[{"string": {"_0": "fear"}}, {"string": {"_0": "male"}}, {"int": {"_0": 11}}, {"null": {}}, {"null": {}}, {"int": {"_0": 10}}, {"double": {"_0": 0.909}}], [{"string": {"_0": "want"}}, {"string": {"_0": "female"}}, {"int": {"_0": 11}}, {"null": {}}, {"null": {}}, {"int": {"_0": 11}}, {"double": {"_0": 1}}]], "columns": ["freedom", "sex", "identified", "referred", "met", "unmet", "unmet_rate"], "protections": [{"name": "cell_key_perturbation", "parameters": [["D", "3"], ["V", "2.0"], ["key", "sum_of_record_keys_mod_2^32"]]}, {"name": "small_cell_suppression", "parameters": [["k", "5"], ["zeros", "suppressed"], ["rows", "full_cross_product"]]}, {"name": "open_values_listed", "parameters": [["rule", "perturbed_total_at_least_k"]]}, {"name": "release_change", "parameters": [["rule", "threshold_update"], ["held_below", "5"]]}, {"name": "consistent_parts", "parameters": [["part", "at_most_its_whole"], ["shown", "only_with_its_whole"], ["times", "rounded_to_24h_withheld_with_their_count"]]}]}
        """#

    static let coverageText = #"""
        250-scope: every organisation
        250-release: 2026-12-01 (month); as of: 2026-12-01T00:00:00Z, the release's boundary: rows recorded before it, as they stood then where their history is kept
        250-protection: cell_key_perturbation D=3 V=2.0 key=sum_of_record_keys_mod_2^32
        250-protection: small_cell_suppression k=5 zeros=suppressed rows=full_cross_product
        250-protection: open_values_listed rule=perturbed_total_at_least_k
        250-protection: release_change rule=threshold_update held_below=5
        250-counts below k=5 after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out
        250-a pair is a gap when its published open needs are shown and no active provider serves it, or they exceed the providers' stated capacity
        250+gaps coverage
        area    service           open_needs  providers  capacity  gap
        CO-ANT  food_security     11          0          -         no_provider
        CO-ANT  health            11          0          -         no_provider
        CO-ANT  legal_assistance  14          1          1         over_capacity
        CO-ANT  other             26          0          -         no_provider
        CO-ANT  safe_shelter      10          1          1         over_capacity
        .
        250 5 rows kind=coverage
        """#

    static let coverageJSON = #"""
        250-{"info":"scope: every organisation"}
        250-{"info":"release: 2026-12-01 (month); as of: 2026-12-01T00:00:00Z, the release's boundary: rows recorded before it, as they stood then where their history is kept"}
        250-{"info":"protection: cell_key_perturbation D=3 V=2.0 key=sum_of_record_keys_mod_2^32"}
        250-{"info":"protection: small_cell_suppression k=5 zeros=suppressed rows=full_cross_product"}
        250-{"info":"protection: open_values_listed rule=perturbed_total_at_least_k"}
        250-{"info":"protection: release_change rule=threshold_update held_below=5"}
        250-{"info":"counts below k=5 after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out"}
        250-{"info":"a pair is a gap when its published open needs are shown and no active provider serves it, or they exceed the providers' stated capacity"}
        250+{"title":"gaps coverage","columns":["area","service","open_needs","providers","capacity","gap"]}
        {"area":"CO-ANT","service":"food_security","open_needs":11,"providers":0,"capacity":null,"gap":"no_provider"}
        {"area":"CO-ANT","service":"health","open_needs":11,"providers":0,"capacity":null,"gap":"no_provider"}
        {"area":"CO-ANT","service":"legal_assistance","open_needs":14,"providers":1,"capacity":1,"gap":"over_capacity"}
        {"area":"CO-ANT","service":"other","open_needs":26,"providers":0,"capacity":null,"gap":"no_provider"}
        {"area":"CO-ANT","service":"safe_shelter","open_needs":10,"providers":1,"capacity":1,"gap":"over_capacity"}
        .
        250 {"message":"5 rows","kind":"coverage"}
        """#

    static let unmetText = #"""
        250-scope: every organisation
        250-release: 2026-12-01 (month); as of: 2026-12-01T00:00:00Z, the release's boundary: rows recorded before it, as they stood then where their history is kept
        250-protection: cell_key_perturbation D=3 V=2.0 key=sum_of_record_keys_mod_2^32
        250-protection: small_cell_suppression k=5 zeros=suppressed rows=full_cross_product
        250-protection: open_values_listed rule=perturbed_total_at_least_k
        250-protection: release_change rule=threshold_update held_below=5
        250-protection: consistent_parts part=at_most_its_whole shown=only_with_its_whole times=rounded_to_24h_withheld_with_their_count
        250-counts below k=5 after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out
        250-unmet: open, identified at least 3 day(s) ago, and no referral pending, accepted or completed successfully
        250+gaps unmet
        freedom  sex     identified  referred  met  unmet  unmet_rate
        fear     male    11          -         -    10     0.909
        want     female  11          -         -    11     1.0
        .
        250 2 rows kind=unmet
        """#

    static let unmetJSON = #"""
        250-{"info":"scope: every organisation"}
        250-{"info":"release: 2026-12-01 (month); as of: 2026-12-01T00:00:00Z, the release's boundary: rows recorded before it, as they stood then where their history is kept"}
        250-{"info":"protection: cell_key_perturbation D=3 V=2.0 key=sum_of_record_keys_mod_2^32"}
        250-{"info":"protection: small_cell_suppression k=5 zeros=suppressed rows=full_cross_product"}
        250-{"info":"protection: open_values_listed rule=perturbed_total_at_least_k"}
        250-{"info":"protection: release_change rule=threshold_update held_below=5"}
        250-{"info":"protection: consistent_parts part=at_most_its_whole shown=only_with_its_whole times=rounded_to_24h_withheld_with_their_count"}
        250-{"info":"counts below k=5 after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out"}
        250-{"info":"unmet: open, identified at least 3 day(s) ago, and no referral pending, accepted or completed successfully"}
        250+{"title":"gaps unmet","columns":["freedom","sex","identified","referred","met","unmet","unmet_rate"]}
        {"freedom":"fear","sex":"male","identified":11,"referred":null,"met":null,"unmet":10,"unmet_rate":0.909}
        {"freedom":"want","sex":"female","identified":11,"referred":null,"met":null,"unmet":11,"unmet_rate":1.0}
        .
        250 {"message":"2 rows","kind":"unmet"}
        """#

    @Test("text and JSON replies of answers stored by the console's GAPS equal the replies it gave")
    func storedAnswersReadBackUnchanged() async throws {
        try await LiveServer.with { server in
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            for (question, answer) in [
                ("coverage by=area,service", Self.coverage), ("unmet by=freedom,sex days=3", Self.unmet),
            ] {
                try db.execute(
                    """
                    INSERT INTO gaps_releases (release, scope, question, answer, made_by)
                    VALUES (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'all', \(question), \(answer)::jsonb, 'golden')
                    """)
            }
            let day = try db.query(
                "SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC'), 'YYYY-MM-DD')")[0].decode(
                    String.self, at: 0)
            func expected(_ text: String) -> [String] {
                text.replacingOccurrences(of: "release: 2026-12-01 (month)", with: "release: \(day) (month)")
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            try await server.session(as: "pol") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("GAPS coverage").lines == expected(Self.coverageText))
                #expect(try await client.request("GAPS unmet by=freedom,sex days=3").lines == expected(Self.unmetText))
                _ = try await client.request("FORMAT json")
                #expect(try await client.request("GAPS coverage").lines == expected(Self.coverageJSON))
                #expect(try await client.request("GAPS unmet by=freedom,sex days=3").lines == expected(Self.unmetJSON))
            }
            // Read, not made again: nothing new was stored, and each request was audited.
            #expect(try db.query("SELECT count(*) FROM gaps_releases")[0].decode(Int.self, at: 0) == 2)
            #expect(
                try db.query("SELECT count(*) FROM audit_log WHERE action IN ('gaps.coverage', 'gaps.unmet')")[0]
                    .decode(
                        Int.self, at: 0) == 4)
        }
    }
}
