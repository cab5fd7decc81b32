import Foundation
import PassageCore
import PassageServices
import Postgres
import Synchronization
import TestSupport
import Testing

/// CaseService over a real PostgreSQL: each use case one transaction in the actor's organisation,
/// with its audit entry; a refused request leaves neither a change nor an entry.
@Suite("Case service")
struct CaseServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("sup", .supervisor, "ngo-a"), ("cw-b", .caseworker, "ngo-b"),
    ]

    static let adult = EnteredFacts.json(#"{"ref":"case-1","current_country":"DE","age":34}"#)

    @Test(
        "opening a case stores it classified and writes one case.create entry; bad facts name their key and write nothing"
    )
    func open() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(Self.adult, by: caseworker)
            #expect(record.ref == "case-1" && record.version == 1 && record.caseworker == "cw")
            #expect(
                try await fixture.audit(.caseCreate) == [
                    .init(
                        actor: "cw", action: "case.create", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "")
                ])
            // Pairs must name the two facts every case has.
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "current_country", message: "current_country is required for a new case")
            ) {
                _ = try await fixture.services.cases.open(
                    .pairs([EnteredFact(key: "ref", value: "case-2")]), by: caseworker)
            }
            // A bad value names its key once.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.cases.open(
                    .json(#"{"ref":"case-3","current_country":"DE","age":-4}"#), by: caseworker)
            }
            do {
                _ = try await fixture.services.cases.open(
                    .pairs([
                        EnteredFact(key: "ref", value: "case-3"),
                        EnteredFact(key: "current_country", value: "DE"),
                        EnteredFact(key: "age", value: "old"),
                    ]), by: caseworker)
                Issue.record("age=old was accepted")
            } catch {
                guard case .badArgument(let argument, let message)? = error as? ServiceError else {
                    Issue.record("\(error)")
                    return
                }
                #expect(argument == "age" && !message.hasPrefix("age: "), "\(message)")
            }
            // The same ref twice in one organisation is a conflict; in another organisation it is not.
            await #expect(throws: ServiceError.conflict("a case with ref case-1 in this organisation already exists")) {
                _ = try await fixture.services.cases.open(Self.adult, by: caseworker)
            }
            _ = try await fixture.services.cases.open(Self.adult, by: try await fixture.actor("cw-b"))
            #expect(try await fixture.count("SELECT count(*) FROM cases") == 2)
            #expect(try await fixture.audit(.caseCreate).count == 2)
        }
    }

    @Test(
        "a case file holds the case, its history, needs and referrals; reading it is audited; another organisation finds nothing"
    )
    func file() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(Self.adult, by: caseworker)
            let need = try await fixture.services.needs.add(NewNeed(caseID: record.id, code: "LP"), by: caseworker)
            let file = try await fixture.services.cases.file(of: record.id, by: caseworker)
            #expect(file.record == record)
            #expect(file.history.map(\.source) == [.rule] && file.history.first?.caseVersion == 1)
            #expect(file.needs.map(\.id) == [need.id] && file.referrals.isEmpty)
            #expect(try await fixture.audit(.caseRead).map(\.subject) == ["case:\(record.id)"])
            // Not the other organisation's: not found, and the failed read leaves no entry.
            await #expect(throws: ServiceError.notFound("case \(record.id) not found")) {
                _ = try await fixture.services.cases.file(of: record.id, by: try await fixture.actor("cw-b"))
            }
            #expect(try await fixture.audit(.caseRead).count == 1)
        }
    }

    @Test(
        "changing facts needs the current version, reclassifies, keeps the earlier result in history, and writes case.update"
    )
    func change() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(Self.adult, by: caseworker)
            let changed = try await fixture.services.cases.change(
                record.id, expectedVersion: 1,
                facts: .pairs([EnteredFact(key: "age", value: "35")]), by: caseworker)
            #expect(changed.version == 2 && changed.facts.age == 35 && changed.ref == "case-1")
            #expect(
                try await fixture.audit(.caseUpdate) == [
                    .init(
                        actor: "cw", action: "case.update", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "version 2")
                ])
            // A JSON object changes only what it names.
            let renamed = try await fixture.services.cases.change(
                record.id, expectedVersion: 2, facts: .json(#"{"ref":"case-1b"}"#), by: caseworker)
            #expect(renamed.ref == "case-1b" && renamed.facts.age == 35)
            // Stale: refused, nothing written.
            await #expect(
                throws: ServiceError.staleVersion(
                    "stale version 1: the current version is 3; read it again and reapply your change")
            ) {
                _ = try await fixture.services.cases.change(
                    record.id, expectedVersion: 1, facts: .pairs([EnteredFact(key: "age", value: "36")]),
                    by: caseworker)
            }
            // Bad facts: refused after the case was found, nothing written.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.cases.change(
                    record.id, expectedVersion: 3, facts: .pairs([EnteredFact(key: "age", value: "x")]),
                    by: caseworker)
            }
            // Another organisation's case is not found before its facts are looked at.
            await #expect(throws: ServiceError.notFound("case \(record.id) not found")) {
                _ = try await fixture.services.cases.change(
                    record.id, expectedVersion: 3, facts: .pairs([EnteredFact(key: "age", value: "x")]),
                    by: try await fixture.actor("cw-b"))
            }
            #expect(try await fixture.audit(.caseUpdate).count == 2)
            let history = try await fixture.services.cases.file(of: record.id, by: caseworker).history
            #expect(history.map(\.caseVersion) == [1, 2, 3])
        }
    }

    @Test(
        "a supervisor's override sets the category in force, keeps the rule result, and writes case.override with the category"
    )
    func override() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let record = try await fixture.services.cases.open(Self.adult, by: try await fixture.actor("cw"))
            let supervisor = try await fixture.actor("sup")
            let overridden = try await fixture.services.cases.override(
                record.id, category: .trafficked, reason: "exploitation disclosed in interview",
                by: supervisor)
            #expect(overridden.primaryCategory == "trafficked" && overridden.overridden)
            #expect(overridden.rulePrimaryCategory == record.rulePrimaryCategory)
            #expect(
                try await fixture.audit(.caseOverride) == [
                    .init(
                        actor: "sup", action: "case.override", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "trafficked")
                ])
            let history = try await fixture.services.cases.file(of: record.id, by: supervisor).history
            #expect(
                history.map(\.source) == [.rule, .override]
                    && history.last?.reason == "exploitation disclosed in interview")
            // An empty reason is refused and writes nothing.
            await #expect(throws: ServiceError.badArgument(argument: "reason", message: "reason must not be empty")) {
                _ = try await fixture.services.cases.override(record.id, category: .idp, reason: "  ", by: supervisor)
            }
            #expect(try await fixture.audit(.caseOverride).count == 1)
        }
    }

    @Test(
        "listing pages through the organisation's cases by filter, writes case.list with the count, and draws on the bulk-read budget"
    )
    func list() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 6, now: { clock.now }), accounts: Self.accounts
        ) { fixture in
            let caseworker = try await fixture.actor("cw")
            var ids: [Int64] = []
            for index in 1...3 {
                ids.append(
                    try await fixture.services.cases.open(
                        .json(#"{"ref":"list-\#(index)","current_country":"DE"}"#), by: caseworker
                    ).id)
            }
            _ = try await fixture.services.cases.open(
                .json(#"{"ref":"elsewhere","current_country":"DE"}"#), by: try await fixture.actor("cw-b"))
            // 6 tokens: 2 rows + 1 leave 3; 1 row + 1 leave 1; no row + 1 leaves none.
            #expect(
                try await fixture.services.cases.list(CaseFilter(limit: 2), by: caseworker).map(\.id)
                    == Array(ids.prefix(2)))
            #expect(
                try await fixture.services.cases.list(CaseFilter(after: ids[1], limit: 2), by: caseworker).map(\.id)
                    == [ids[2]])
            let other = try await fixture.services.cases.list(CaseFilter(category: .refugeeAsylum), by: caseworker)
            #expect(other.isEmpty)
            #expect(try await fixture.audit(.caseList).map(\.detail) == ["2 cases", "1 cases", "0 cases"])
            #expect(try await fixture.audit(.caseList).allSatisfy { $0.subject == "organisation:ngo-a" })
            // The budget is spent: refused before the database, and no entry is written.
            await #expect(throws: ServiceError.busy("bulk-read limit: 6 rows a minute per user; retry in 10 s")) {
                _ = try await fixture.services.cases.list(CaseFilter(), by: caseworker)
            }
            #expect(try await fixture.audit(.caseList).count == 3)
            clock.advance(by: .seconds(60))
            #expect(try await fixture.services.cases.list(CaseFilter(), by: caseworker).count == 3)
        }
    }

    static let oauFacts =
        #"{"ref":"oau","age":32,"nationality":"NG","current_country":"CM","left_home":true,"forced":true,"causes":["armed_conflict"],"asylum":"none"}"#

    @Test(
        "an import is all or nothing, or stores the good lines and writes the bad ones aside; the organisation is made when new"
    )
    func importCases() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let path = NSTemporaryDirectory() + "case-service-import-\(UUID().uuidString).jsonl"
            let rejects = path + ".rejects"
            defer { for file in [path, rejects] { try? FileManager.default.removeItem(atPath: file) } }
            try
                (Self.oauFacts + "\n" + #"{"ref":"bad","current_country":"ZZ"}"# + "\n"
                + #"{"ref":"two","current_country":"DE"}"# + "\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let admin = Actor(name: "operator:test", role: .admin, organisation: "ngo-new", source: "cli")
            let refused = try await fixture.services.cases.importCases(
                CaseImportRequest(path: path, organisation: "ngo-new", caseworker: "import"), by: admin)
            #expect(refused.refused && refused.imported == 0 && refused.badLines.map(\.line) == [2])
            #expect(try await fixture.count("SELECT count(*) FROM cases") == 0)
            let skipped = try await fixture.services.cases.importCases(
                CaseImportRequest(
                    path: path, organisation: "ngo-new", caseworker: "import", skipBad: true, rejectsPath: rejects),
                by: admin)
            #expect(!skipped.refused && skipped.imported == 2 && skipped.badLines.map(\.line) == [2])
            #expect(skipped.importedByCategory.values.reduce(0, +) == 2)
            #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains(#""ref":"bad""#))
            #expect(
                try await fixture.count(
                    """
                    SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.organisation_id WHERE o.name = 'ngo-new'
                    """) == 2)
            // A file that is not there is refused as such, not as a database fault.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.cases.importCases(
                    CaseImportRequest(path: path + ".missing", organisation: "ngo-new", caseworker: "import"),
                    by: admin)
            }
        }
    }

    @Test(
        "reclassification classifies the cases an earlier version decided, reports progress, and writes one cases.reclassify entry"
    )
    func reclassify() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let oau = try await fixture.services.cases.open(.json(Self.oauFacts), by: caseworker)
            _ = try await fixture.services.cases.open(Self.adult, by: caseworker)
            _ = try await fixture.pool.withConnection { db in
                try db.execute(
                    "UPDATE cases SET classifier_version = 'v0', classified_at = now() - interval '1 year' WHERE id = \(oau.id)"
                )
            }
            let operatorActor = Actor(name: "operator:test", role: .admin, organisation: "", source: "cli")
            #expect(try await fixture.services.cases.casesAwaitingReclassification(by: operatorActor) == 1)
            let seen = Mutex<[Int]>([])
            let total = try await fixture.services.cases.reclassify(batchSize: 1, by: operatorActor) { total in
                seen.withLock { $0.append(total.reclassified) }
            }
            #expect(total.reclassified == 1 && seen.withLock { $0 } == [1])
            #expect(try await fixture.services.cases.casesAwaitingReclassification(by: operatorActor) == 0)
            #expect(
                try await fixture.audit(.casesReclassify) == [
                    .init(
                        actor: "operator:test", action: "cases.reclassify", subject: "classifier:\(Classifier.version)",
                        source: "cli",
                        detail: "reclassified=1 changed_category=\(total.changedCategory) overrides_differing=0")
                ])
            // The earlier result stays in the case's history.
            #expect(
                try await fixture.services.cases.file(of: oau.id, by: caseworker).history.map(\.classifierVersion).first
                    == "v0")
        }
    }
}
