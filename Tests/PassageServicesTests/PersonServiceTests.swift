import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// PersonService over a real PostgreSQL: personal details only in the owning organisation,
/// every change and every read audited in its transaction, reads on the bulk-read budget.
@Suite("Person service")
struct PersonServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("cw-b", .caseworker, "ngo-b"),
    ]

    @Test(
        "recording changes the fields given and keeps the others; each change writes person.update; an empty change is refused"
    )
    func record() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"p-1","current_country":"KE"}"#), by: caseworker)
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Amina Yusuf", dateOfBirth: "1990-02-03", documents: ["P123"]),
                forCase: record.id, by: caseworker)
            try await fixture.services.people.record(
                PersonDetailsChange(phone: "+254700000001"), forCase: record.id, by: caseworker)
            #expect(
                try await fixture.services.people.details(ofCase: record.id, by: caseworker)
                    == PersonDetails(
                        names: ["Amina Yusuf"], dateOfBirth: "1990-02-03", phone: "+254700000001", documents: ["P123"]))
            #expect(
                try await fixture.audit(.personUpdate).map(\.subject) == ["case:\(record.id)", "case:\(record.id)"])
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "name", message: "give at least one of name=, dob=, phone=, documents=")
            ) {
                try await fixture.services.people.record(PersonDetailsChange(), forCase: record.id, by: caseworker)
            }
            // Another organisation can neither write nor read them, and leaves no entry.
            let other = try await fixture.actor("cw-b")
            await #expect(throws: ServiceError.notFound("case \(record.id) not found")) {
                try await fixture.services.people.record(PersonDetailsChange(name: "x"), forCase: record.id, by: other)
            }
            await #expect(throws: ServiceError.notFound("case \(record.id) not found")) {
                _ = try await fixture.services.people.details(ofCase: record.id, by: other)
            }
            #expect(try await fixture.audit(.personUpdate).count == 2)
            #expect(try await fixture.audit(.personRead).count == 1)
            // The database holds ciphertext only.
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM persons WHERE position(convert_to('Amina', 'UTF8') in identifiers) > 0") == 0)
        }
    }

    @Test("a change's values are checked by the service, naming the field; a refused one writes nothing")
    func valuesAreChecked() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"p-2","current_country":"KE"}"#), by: caseworker)
            let refused: [(PersonDetailsChange, String)] = [
                (PersonDetailsChange(dateOfBirth: "1990-02-30"), "dob"),
                (PersonDetailsChange(dateOfBirth: "3 May 1990"), "dob"),
                (PersonDetailsChange(name: ""), "name"),
                (PersonDetailsChange(name: String(repeating: "a", count: 201)), "name"),
                (PersonDetailsChange(phone: String(repeating: "1", count: 41)), "phone"),
                (PersonDetailsChange(documents: ["P1", "P1"]), "documents"),
                (PersonDetailsChange(documents: [""]), "documents"),
            ]
            for (change, argument) in refused {
                do {
                    try await fixture.services.people.record(change, forCase: record.id, by: caseworker)
                    Issue.record("\(change) was accepted")
                } catch {
                    guard case ServiceError.badArgument(let named, _) = error else {
                        Issue.record("\(change): \(error)")
                        continue
                    }
                    #expect(named == argument)
                }
            }
            #expect(try await fixture.audit(.personUpdate).isEmpty)
        }
    }

    @Test("a role the use case does not allow is refused by the service itself, before anything is read")
    func rolesAreCheckedByTheService() async throws {
        try await ServiceFixture.with(accounts: Self.accounts + [("an", .analyst, "ngo-a")]) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"p-3","current_country":"KE"}"#), by: caseworker)
            let analyst = try await fixture.actor("an")
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use PERSON SHOW")) {
                _ = try await fixture.services.people.details(ofCase: record.id, by: analyst)
            }
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use CASE NEW")) {
                _ = try await fixture.services.cases.open(.json(#"{"ref":"p-4","current_country":"KE"}"#), by: analyst)
            }
            await #expect(throws: ServiceError.permissionDenied("the caseworker role may not use CASE OVERRIDE")) {
                _ = try await fixture.services.cases.override(
                    record.id, category: .idp, reason: "seen", by: caseworker)
            }
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use NEED LIST")) {
                _ = try await fixture.services.needs.list(ofCase: record.id, by: analyst)
            }
            #expect(try await fixture.audit(.personRead).isEmpty)
            #expect(try await fixture.audit(.caseOverride).isEmpty)
        }
    }

    @Test(
        "a read of a case without details is not found but still audited; reads cost four rows of the bulk-read budget")
    func readsAreAuditedAndLimited() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 10, now: { clock.now }), accounts: Self.accounts
        ) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"p-2","current_country":"KE"}"#), by: caseworker)
            await #expect(throws: ServiceError.notFound("no personal details recorded for case \(record.id)")) {
                _ = try await fixture.services.people.details(ofCase: record.id, by: caseworker)
            }
            #expect(try await fixture.audit(.personRead).map(\.subject) == ["case:\(record.id)"])
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Amina Yusuf"), forCase: record.id, by: caseworker)
            // 10 tokens: 4 rows + 1 leave 5, then 0; the third read is refused before the database.
            _ = try await fixture.services.people.details(ofCase: record.id, by: caseworker)
            _ = try await fixture.services.people.details(ofCase: record.id, by: caseworker)
            await #expect(throws: ServiceError.busy("bulk-read limit: 10 rows a minute per user; retry in 6 s")) {
                _ = try await fixture.services.people.details(ofCase: record.id, by: caseworker)
            }
            #expect(try await fixture.audit(.personRead).count == 3)
        }
    }
}
