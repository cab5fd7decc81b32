import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Case store: cases, classification history, optimistic concurrency")
struct CaseStoreTests {
    let store = CaseStore()

    func facts(_ json: String) throws -> CaseFacts { try CaseFacts.decode(jsonLine: json) }

    static let refugeeClaim = #"{"ref":"c-1","age":30,"nationality":"SY","current_country":"DE","asylum":"applied"}"#
    static let workerFacts =
        #"{"ref":"c-1","age":30,"nationality":"PH","current_country":"AE","employment":{"status":"engaged","skill_level":2,"authorized":true,"sponsored":true}}"#

    @Test("a new case is classified, stored with version 1, and its rule result is in the history")
    func createClassifiesAndRecordsHistory() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let organisation = try OrganisationStore.id(named: "default", create: false, on: db)
        let facts = try facts(Self.refugeeClaim)
        let record = try db.transaction {
            try store.create(facts, organisation: organisation, caseworker: "amina", on: $0)
        }
        #expect(record.version == 1)
        #expect(record.primaryCategory == "refugee_asylum")
        #expect(record.classificationJSON == Classifier().classify(facts).resultJSON)
        #expect(record.facts == facts)
        let history = try store.history(caseID: record.id, organisation: organisation, on: db)
        #expect(history.count == 1)
        #expect(history[0].source == .rule)
        #expect(history[0].classifierVersion == Classifier.version)
        #expect(history[0].resultJSON == record.classificationJSON)
    }

    @Test("changing facts re-classifies in the same transaction and bumps the version")
    func updateReclassifies() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let created = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: db)
        let updated = try store.update(
            id: created.id, expectedVersion: 1, facts: try facts(Self.workerFacts), organisation: 1, actor: "amina",
            on: db)
        #expect(updated.version == 2)
        #expect(updated.primaryCategory == "migrant_worker")
        let history = try store.history(caseID: created.id, organisation: 1, on: db)
        #expect(history.map(\.primaryCategory) == ["refugee_asylum", "migrant_worker"])
        #expect(history.map(\.caseVersion) == [1, 2])
        #expect(history.map(\.resultJSON) == [created.classificationJSON, updated.classificationJSON])
        // A second change keeps every earlier result.
        let again = try store.update(
            id: created.id, expectedVersion: 2, facts: try facts(Self.refugeeClaim), organisation: 1, actor: "bo",
            on: db)
        let longer = try store.history(caseID: created.id, organisation: 1, on: db)
        #expect(longer.map(\.caseVersion) == [1, 2, 3])
        #expect(longer.map(\.decidedBy) == ["amina", "amina", "bo"])
        #expect(longer.last?.resultJSON == again.classificationJSON)
    }

    @Test("a stale version is refused and changes nothing")
    func staleVersionRefused() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let created = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: db)
        _ = try store.update(
            id: created.id, expectedVersion: 1, facts: try facts(Self.workerFacts), organisation: 1, actor: "amina",
            on: db)
        #expect(throws: StoreError.staleVersion(current: 2, given: 1)) {
            try store.update(
                id: created.id, expectedVersion: 1, facts: try facts(Self.refugeeClaim), organisation: 1, actor: "bo",
                on: db)
        }
        #expect(try store.find(id: created.id, organisation: 1, on: db).primaryCategory == "migrant_worker")
    }

    @Test("two concurrent updates with the same version: exactly one wins")
    func concurrentUpdatesOneWins() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        let setup = try PostgresConnection.connect(conninfo)
        let created = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: setup)
        setup.close()
        let store = self.store
        let worker = try facts(Self.workerFacts)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    await Task.detached {
                        guard let db = try? PostgresConnection.connect(conninfo) else { return false }
                        defer { db.close() }
                        return
                            (try? db.transaction {
                                try store.update(
                                    id: created.id, expectedVersion: 1, facts: worker, organisation: 1, actor: "x",
                                    on: $0)
                            }) != nil
                    }.value
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
    }

    @Test("another organisation gets not found, and cannot list the case")
    func organisationScoping() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let other = try OrganisationStore.id(named: "other-ngo", create: true, on: db)
        let created = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: db)
        #expect(throws: StoreError.notFound("case \(created.id)")) {
            try store.find(id: created.id, organisation: other, on: db)
        }
        #expect(throws: StoreError.notFound("case \(created.id)")) {
            try store.update(
                id: created.id, expectedVersion: 1, facts: try facts(Self.workerFacts), organisation: other, actor: "x",
                on: db)
        }
        #expect(try store.list(organisation: other, category: nil, reviewOnly: false, limit: 10, on: db).isEmpty)
        #expect(
            try store.list(organisation: 1, category: nil, reviewOnly: false, limit: 10, on: db).map(\.id) == [
                created.id
            ])
    }

    @Test("an override is added to the history and never overwrites the rule result")
    func overrideKeepsRuleResult() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let created = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: db)
        let overridden = try store.override(
            id: created.id, category: "trafficked", reason: "interview revealed coercion", organisation: 1,
            supervisor: "sup", on: db)
        #expect(overridden.primaryCategory == "trafficked")
        #expect(overridden.classificationJSON == created.classificationJSON)
        let history = try store.history(caseID: created.id, organisation: 1, on: db)
        #expect(history.map(\.source) == [.rule, .override])
        #expect(history[1].reason == "interview revealed coercion")
        #expect(history[0].primaryCategory == "refugee_asylum")
        #expect(throws: StoreError.self) {
            try store.override(
                id: created.id, category: "tourist", reason: "x", organisation: 1, supervisor: "sup", on: db)
        }
        #expect(throws: StoreError.self) {
            try store.override(
                id: created.id, category: "idp", reason: "  ", organisation: 1, supervisor: "sup", on: db)
        }
    }

    @Test("a duplicate ref in one organisation is refused; a failed transaction leaves no case")
    func duplicateRef() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        _ = try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: db)
        #expect(throws: StoreError.duplicate("a case with ref c-1 in this organisation")) {
            try db.transaction {
                try store.create(try facts(Self.refugeeClaim), organisation: 1, caseworker: "amina", on: $0)
            }
        }
        #expect(try db.query("SELECT count(*) FROM cases")[0].decode(Int.self) == 1)
        let first = try store.list(organisation: 1, category: nil, reviewOnly: false, limit: 10, on: db)[0]
        #expect(try store.history(caseID: first.id, organisation: 1, on: db).count == 1)
    }

    @Test("hostile text is stored and read back verbatim")
    func hostileTextVerbatim() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let ref = #"'); DROP TABLE cases; --"#
        let json = #"{"ref":"'); DROP TABLE cases; --","current_country":"DE"}"#
        let created = try store.create(try facts(json), organisation: 1, caseworker: "amina", on: db)
        #expect(try store.find(id: created.id, organisation: 1, on: db).ref == ref)
    }
}
