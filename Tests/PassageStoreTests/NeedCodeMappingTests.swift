import Foundation
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The mapping of Passage's need codes to Primero's (Schema/0017 `need_code_equivalents`,
/// Docs/needs-codes.md): every code Primero's lookup carries maps to its id, and nothing is
/// mapped that Primero does not carry.
@Suite("Need codes in Primero's vocabulary")
struct NeedCodeMappingTests {
    /// Primero's `lookup-unhcr-needs-codes` (primeroIMS/primero db/configuration/lookups/lookups.rb
    /// at 0b0b2e0d33c08dff48156815365e1d0a7d4f970d), in its order, then the codes a deployment's
    /// `unhcr_needs_codes_mapping` adds.
    static let primeroLookup = [
        "CR-CP", "CR-CS", "CR-CC", "CR-TP", "CR-LW", "CR-LO", "CR-NE", "CR-SE", "CR-AF", "CR-CL",
        "SC-CH", "SC-IC", "SC-FC", "DS-BD", "DS-DF", "DS-PM", "DS-PS", "DS-MM", "DS-MS", "DS-SD",
        "SM-MI", "SM-MN", "SM-CI", "SM-CC", "SM-OT", "FU-TR", "FU-FR", "LP-ND", "TR-PI", "TR-HO",
        "TR-WV", "SV-VA", "LP-AN", "LP-MD", "LP-MS", "LP-RR",
        "LP-DA", "LP-BN", "LP-NA", "SM-DP", "SC-SC", "SC-UC", "SV-VO", "SV-VF",
    ]

    @Test("each Primero code maps to its lower-case id, the others to nothing")
    func primero() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let rows = try db.query(
            """
            SELECT k.code, e.equivalent FROM need_codes k
              LEFT JOIN need_code_equivalents e ON e.code = k.code AND e.scheme = 'primero'
             ORDER BY k.code
            """)
        var mapped: [String: String] = [:]
        var unmapped: [String] = []
        for row in rows {
            let (code, equivalent) = try row.decode((String, String?).self)
            if let equivalent { mapped[code] = equivalent } else { unmapped.append(code) }
        }
        #expect(Set(mapped.keys) == Set(Self.primeroLookup))
        for code in Self.primeroLookup { #expect(mapped[code] == code.lowercased(), "\(code)") }
        #expect(mapped["CR-CL"] == "cr-cl" && mapped["LP-DA"] == "lp-da")
        // Not in Primero's lists: reported as not mapped, never guessed.
        for code in ["LP-DT", "SV-GM", "SV-FM", "WR-WR", "ER-NF", "SP-PT", "SV", "LP"] {
            #expect(unmapped.contains(code), "\(code)")
        }
    }
}
