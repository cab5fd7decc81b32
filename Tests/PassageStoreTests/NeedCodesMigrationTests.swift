import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Schema/0017 (issue 25, Docs/needs-codes.md): the UNHCR specific-needs codes checked against
/// their sources. Needs recorded under a wrongly labelled code move to the code of the meaning
/// they were given, with a new version and one audit entry; nothing else moves.
@Suite("Need codes corrected (Schema/0017)")
struct NeedCodesMigrationTests {
    static func migration() throws -> String {
        let found = try MigrationSet.load(from: MigratedDatabase.schemaDirectory).migrations.first { $0.version == 17 }
        return try #require(found).sql
    }

    /// Runs 0017 again on `db`, in one transaction, from the state before it (its new table gone;
    /// its codes stay: the rows that use them are what is being tested).
    static func runMigration(on db: PostgresConnection) throws {
        try db.transaction { connection in
            try connection.execute("DROP TABLE need_code_equivalents")
            try connection.executeScript(try Self.migration())
        }
    }

    /// A database as 0017 finds it: needs under CR-LO and LP-DT as recorded before (the codes
    /// still exist after 0017, with their right meanings, so the old rows can be written again).
    @Test("CR-LO needs move to CR-CL and LP-DT needs to LP-DA, audited; other needs stay")
    func storedNeedsMove() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        func need(_ code: String) throws -> Int64 {
            try db.query(
                """
                INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
                VALUES (\(fixture.adultCase), \(fixture.ngoA), \(code), 'normal', 'cw') RETURNING id
                """)[0].decode(Int64.self)
        }
        let law = try need("CR-LO")
        let detained = [try need("LP-DT"), try need("LP-DT")]
        let untouched = [try need("SV-VA"), try need("CR-LW"), try need("LP-ND")]
        let entriesBefore = try AuditLog.tail(1000, on: db).count

        try Self.runMigration(on: db)

        func codeAndVersion(_ id: Int64) throws -> (String, Int) {
            try db.query("SELECT code, version FROM needs WHERE id = \(id)")[0].decode((String, Int).self)
        }
        #expect(try codeAndVersion(law) == ("CR-CL", 2))
        for id in detained { #expect(try codeAndVersion(id) == ("LP-DA", 2)) }
        #expect(try untouched.map(codeAndVersion).map(\.0) == ["SV-VA", "CR-LW", "LP-ND"])
        #expect(try untouched.map(codeAndVersion).allSatisfy { $0.1 == 1 })

        let entries = try AuditLog.tail(1000, on: db)
        #expect(entries.count == entriesBefore + 1)
        let entry = try #require(entries.last)
        #expect(entry.action == AuditAction.needsRecode.rawValue)
        #expect(entry.actor == "migration:0017" && entry.subject == "need_codes" && entry.source == "migration")
        #expect(entry.detail.hasPrefix("1 needs CR-LO -> CR-CL, 2 needs LP-DT -> LP-DA"))
        #expect(try AuditLog.verify(on: db) == .intact(entries: entriesBefore + 1))

        // Run again (a database where nothing is left to move): no change, no entry.
        try Self.runMigration(on: db)
        #expect(try AuditLog.tail(1000, on: db).count == entriesBefore + 1)
        #expect(try codeAndVersion(law) == ("CR-CL", 2))
    }

    @Test("the labels the issue named are right, and every code has a sourced meaning and a dimension")
    func labels() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let rows = try db.query("SELECT code, meaning, dimension, parent FROM need_codes ORDER BY code")
        var meaning: [String: String] = [:]
        for row in rows {
            let (code, text, dimension, parent) = try row.decode((String, String, String, String?).self)
            meaning[code] = text
            #expect(!text.isEmpty && !dimension.isEmpty)
            #expect(parent == (code.contains("-") ? String(code.prefix(2)) : nil), "\(code)")
        }
        #expect(meaning["CR-CL"] == "child in conflict with the law")
        #expect(meaning["CR-LO"] == "child engaged in other forms of child labour")
        #expect(meaning["LP-DA"] == "detained or held in country of asylum")
        #expect(meaning["LP-DT"] == "detained or held elsewhere")
        #expect(meaning["SV-VA"] == "survivor of SGBV in country of asylum")
        // The whole 2009 disability set.
        for code in ["DS-BD", "DS-DF", "DS-PM", "DS-PS", "DS-MM", "DS-MS", "DS-SD"] {
            #expect(meaning[code] != nil, "\(code)")
        }
        // Every code of Primero's lookup-unhcr-needs-codes (Docs/needs-codes.md) is known.
        for code in NeedCodeMappingTests.primeroLookup { #expect(meaning[code] != nil, "\(code)") }
        // No meaning is used twice (a meaning given to two codes is how CR-LO went wrong).
        #expect(Set(meaning.values).count == meaning.count)
    }
}
