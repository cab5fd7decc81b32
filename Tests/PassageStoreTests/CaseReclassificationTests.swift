import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// `passage reclassify`: stored cases move to the classifier this build carries, each keeping
/// its earlier result, with the version that decided it, in its history.
@Suite("Reclassification of stored cases under a new classifier version")
struct CaseReclassificationTests {
    let store = CaseStore()
    static let oldVersion = "passage-classifier/1"

    /// Nigerians fleeing armed conflict into Cameroon: unclassified under version 1 (OAU did not
    /// name armed conflict), refugees under OAU art. I(2) since version 2.
    static let oauFacts =
        #"{"ref":"oau","age":32,"nationality":"NG","current_country":"CM","left_home":true,"forced":true,"causes":["armed_conflict"],"asylum":"none"}"#
    static let oauVersion1Result =
        #"{"ref":"oau","primary":"unclassified","categories":[],"subcategories":{},"basis":{},"regular":null,"institutional":null,"review":true,"notes":[],"missing":["employment","trafficking"]}"#
    static let claimFacts = #"{"ref":"claim","age":30,"nationality":"SY","current_country":"DE","asylum":"applied"}"#

    /// Stores `json` as a case, then makes it look as an earlier classifier left it.
    func storeAsDecidedBefore(_ json: String, result: String? = nil, on db: PostgresConnection) throws -> CaseRecord {
        let record = try store.create(
            try CaseFacts.decode(jsonLine: json), organisation: 1, caseworker: "amina", on: db)
        let old = result ?? record.classificationJSON
        try db.execute(
            """
            UPDATE cases SET classifier_version = \(Self.oldVersion), classification = \(old)::json,
                   categories = ARRAY(SELECT json_array_elements_text(\(old)::json->'categories')),
                   primary_category = \(old)::json->>'primary', classified_at = now() - interval '1 year'
             WHERE id = \(record.id)
            """)
        return try store.find(id: record.id, organisation: 1, on: db)
    }

    func runAll(_ reclassification: CaseReclassification, on db: PostgresConnection) throws -> ReclassificationBatch {
        var total = ReclassificationBatch(lastCaseID: 0)
        while let batch = try reclassification.runBatch(after: total.lastCaseID, on: db) { total.add(batch) }
        return total
    }

    @Test("every pending case gets the new result; the old one stays in its history with its version")
    func historyKeepsTheOldResult() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let oau = try storeAsDecidedBefore(Self.oauFacts, result: Self.oauVersion1Result, on: db)
        let claim = try storeAsDecidedBefore(Self.claimFacts, on: db)
        let current = try store.create(
            try CaseFacts.decode(jsonLine: #"{"ref":"new","current_country":"DE"}"#), organisation: 1, caseworker: "bo",
            on: db)
        #expect(try CaseReclassification.pendingCount(on: db) == 2)

        let total = try runAll(CaseReclassification(batchSize: 1, operatorName: "operator:test"), on: db)
        #expect(total.reclassified == 2)
        #expect(total.changedCategory == 1)
        #expect(total.changedBy == [.oauConflict: 1])
        #expect(try CaseReclassification.pendingCount(on: db) == 0)

        let moved = try store.find(id: oau.id, organisation: 1, on: db)
        #expect(moved.primaryCategory == "refugee_asylum")
        #expect(
            moved.version == oau.version, "facts did not change, so neither does the version caseworkers write against")
        let history = try store.history(caseID: oau.id, organisation: 1, on: db)
        #expect(history.map(\.classifierVersion) == [Self.oldVersion, Classifier.version])
        #expect(history.map(\.resultJSON) == [Self.oauVersion1Result, moved.classificationJSON])
        #expect(history.last?.decidedBy == "operator:test")
        // A case already decided by this version is not touched.
        let untouched = try store.history(caseID: current.id, organisation: 1, on: db)
        #expect(untouched.count == 1)
        #expect(try store.history(caseID: claim.id, organisation: 1, on: db).count == 2)
    }

    @Test("an override stays in force and is flagged when the new rule result differs from it")
    func overridesStayAndAreFlagged() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let oau = try storeAsDecidedBefore(Self.oauFacts, result: Self.oauVersion1Result, on: db)
        _ = try store.override(
            id: oau.id, category: "unclassified", reason: "waiting for an interview", organisation: 1,
            supervisor: "sam", on: db)
        let agreeing = try storeAsDecidedBefore(Self.claimFacts, on: db)
        _ = try store.override(
            id: agreeing.id, category: "refugee_asylum", reason: "confirmed", organisation: 1, supervisor: "sam", on: db
        )
        #expect(try store.find(id: oau.id, organisation: 1, on: db).overrideDiffersFromRule == false)

        let total = try runAll(CaseReclassification(operatorName: "operator:test"), on: db)
        #expect(total.overridesDiffering == [oau.id])
        let after = try store.find(id: oau.id, organisation: 1, on: db)
        #expect(after.primaryCategory == "unclassified", "the supervisor's category stays in force")
        #expect(after.rulePrimaryCategory == "refugee_asylum")
        #expect(after.overrideDiffersFromRule)
        #expect(try store.find(id: agreeing.id, organisation: 1, on: db).overrideDiffersFromRule == false)
    }

    @Test("a run can be repeated: nothing is left to do, and nothing is written twice")
    func repeatable() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let oau = try storeAsDecidedBefore(Self.oauFacts, result: Self.oauVersion1Result, on: db)
        let reclassification = CaseReclassification(operatorName: "operator:test")
        _ = try runAll(reclassification, on: db)
        #expect(try reclassification.runBatch(after: 0, on: db) == nil)
        #expect(try store.history(caseID: oau.id, organisation: 1, on: db).count == 2)
    }

    @Test("stored facts edited by hand into something invalid are reported and kept, the others proceed")
    func undecodableFactsAreReported() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let broken = try storeAsDecidedBefore(Self.claimFacts, on: db)
        try db.execute(
            "UPDATE cases SET facts = '{\"ref\":\"claim\",\"current_country\":\"XX\"}'::jsonb WHERE id = \(broken.id)")
        let good = try storeAsDecidedBefore(Self.oauFacts, result: Self.oauVersion1Result, on: db)
        let total = try runAll(CaseReclassification(operatorName: "operator:test"), on: db)
        #expect(total.undecodable == [broken.id])
        #expect(total.reclassified == 1)
        let versions = try db.query("SELECT id, classifier_version FROM cases ORDER BY id")
        #expect(try versions.map { try $0.decode((Int64, String).self).1 } == [Self.oldVersion, Classifier.version])
        #expect(try versions[1].decode((Int64, String).self).0 == good.id)
    }

    @Test("a case a caseworker changes between the read and the write is left alone: that change classified it")
    func caseChangedMeanwhileIsLeftAlone() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let changed = try storeAsDecidedBefore(Self.oauFacts, result: Self.oauVersion1Result, on: db)
        let other = try storeAsDecidedBefore(Self.claimFacts, on: db)
        let reclassification = CaseReclassification(operatorName: "operator:test")
        let classified = try #require(try reclassification.classifyBatch(after: 0, on: db))
        let edited = try store.update(
            id: changed.id, expectedVersion: changed.version,
            facts: try CaseFacts.decode(
                jsonLine: Self.claimFacts.replacingOccurrences(of: "\"claim\"", with: "\"oau\"")),
            organisation: 1, actor: "amina", on: db)
        let written = try reclassification.write(classified, on: db)
        #expect(written.leftAlone == 1)
        #expect(written.reclassified == 1)
        let after = try store.find(id: changed.id, organisation: 1, on: db)
        #expect(
            after.classificationJSON == edited.classificationJSON,
            "the caseworker's change is not overwritten with a result of the old facts")
        #expect(try store.history(caseID: changed.id, organisation: 1, on: db).map(\.decidedBy) == ["amina", "amina"])
        #expect(
            try store.history(caseID: other.id, organisation: 1, on: db).last?.classifierVersion == Classifier.version)
    }
}
