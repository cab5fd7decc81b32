import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// PERSON SEARCH and PERSON SET's duplicate warning over a real PostgreSQL: found across scripts,
/// spellings and swapped dates, only in the searcher's organisation, audited without the values.
@Suite("Person search service")
struct PersonSearchServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("sup", .supervisor, "ngo-a"), ("an", .analyst, "ngo-a"),
        ("cw-b", .caseworker, "ngo-b"),
    ]

    /// Three people of ngo-a: Mohammed, his brother Ahmed (same father, family and phone), and Fatima.
    static func register(_ fixture: ServiceFixture) async throws -> (mohammed: Int64, ahmed: Int64, fatima: Int64) {
        let caseworker = try await fixture.actor("cw")
        func person(_ ref: String, sex: String, _ change: PersonDetailsChange) async throws -> Int64 {
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"\#(ref)","current_country":"JO","sex":"\#(sex)","nationality":"SY"}"#), by: caseworker)
            try await fixture.services.people.record(change, forCase: record.id, by: caseworker)
            return record.id
        }
        let mohammed = try await person(
            "s-1", sex: "male",
            PersonDetailsChange(
                name: "Mohammed Hassan Al-Shammari", dateOfBirth: "1990-05-07", phone: "+962 79 555 1234",
                documents: ["N0123456"]))
        let ahmed = try await person(
            "s-2", sex: "male",
            PersonDetailsChange(name: "Ahmed Hassan Al-Shammari", dateOfBirth: "1994-11-20", phone: "+962 79 555 1234"))
        let fatima = try await person(
            "s-3", sex: "female", PersonDetailsChange(name: "Fatima Ali Haddad", dateOfBirth: "1985-01-01"))
        return (mohammed, ahmed, fatima)
    }

    @Test("a search in Arabic script with the year finds Mohammed first and strong; his brother, if listed, is weaker")
    func acrossScripts() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let ids = try await Self.register(fixture)
            let matches = try await fixture.services.people.search(
                PersonQuery(name: "الشمري محمد حسن", birth: BirthQuery("1990")), limit: 10,
                by: try await fixture.actor("cw"))
            let first = try #require(matches.first)
            #expect(first.cases.map(\.id) == [ids.mohammed])
            #expect(first.cases.map(\.ref) == ["s-1"])
            #expect(first.isStrong)
            #expect(!matches.contains { $0.cases.map(\.id) == [ids.fatima] })
            if let brother = matches.first(where: { $0.cases.map(\.id) == [ids.ahmed] }) {
                #expect(!brother.isStrong)
                #expect(brother.score < first.score)
            }
        }
    }

    @Test(
        "variants reach the person: Cyrillic, day and month swapped, phone written otherwise, document with spaces; sex and nationality filter"
    )
    func variants() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let ids = try await Self.register(fixture)
            let supervisor = try await fixture.actor("sup")
            func firstCase(_ query: PersonQuery) async throws -> Int64? {
                try await fixture.services.people.search(query, limit: 5, by: supervisor).first?.cases.first?.id
            }
            #expect(try await firstCase(PersonQuery(name: "Мухаммед Шаммари")) == ids.mohammed)
            #expect(try await firstCase(PersonQuery(birth: BirthQuery("1990-07-05"))) == ids.mohammed)
            #expect(try await firstCase(PersonQuery(document: "n 012 3456")) == ids.mohammed)
            #expect(
                try await firstCase(PersonQuery(name: "Fatma Hadad", birth: BirthQuery("1984..1986"))) == ids.fatima)
            #expect(try await firstCase(PersonQuery(name: "Fatima Haddad", sex: "male")) == nil)
            #expect(try await firstCase(PersonQuery(name: "Fatima Haddad", nationality: "sy")) == ids.fatima)
            #expect(try await firstCase(PersonQuery(name: "Fatima Haddad", nationality: "IQ")) == nil)
            let household = try await fixture.services.people.search(
                PersonQuery(phone: "00962795551234"), limit: 5, by: supervisor)
            #expect(Set(household.flatMap { $0.cases.map(\.id) }) == [ids.mohammed, ids.ahmed])
        }
    }

    @Test("another organisation finds nothing; the analyst may not search; each search is audited without its values")
    func scopeRolesAudit() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            _ = try await Self.register(fixture)
            let query = PersonQuery(name: "Mohammed Shammari", birth: BirthQuery("1990-05-07"), phone: "0795551234")
            #expect(
                try await fixture.services.people.search(query, limit: 20, by: try await fixture.actor("cw-b")).isEmpty)
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use PERSON SEARCH")) {
                _ = try await fixture.services.people.search(query, limit: 20, by: try await fixture.actor("an"))
            }
            let found = try await fixture.services.people.search(query, limit: 20, by: try await fixture.actor("cw"))
            let entries = try await fixture.audit(.personSearch)
            #expect(entries.map(\.actor) == ["cw-b", "cw"])
            #expect(
                entries.map(\.subject) == ["by:name,dob,phone listed:0", "by:name,dob,phone listed:\(found.count)"])
            for entry in entries {
                let text = entry.subject + entry.detail
                for value in ["Mohammed", "mhmd", "Shammari", "1990", "0795551234", "795551234"] {
                    #expect(!text.contains(value), "\(value) in the audit entry")
                }
            }
        }
    }

    @Test(
        "bad searches are refused naming the argument, and write nothing",
        arguments: [
            (PersonQuery(), "name"), (PersonQuery(name: "--- '"), "name"),
            (PersonQuery(birth: BirthQuery("1990")), "dob"), (PersonQuery(phone: "12-34"), "phone"),
            (PersonQuery(document: "//"), "document"), (PersonQuery(name: "Ali", sex: "f"), "sex"),
            (PersonQuery(name: "Ali", nationality: "Syria"), "nationality"),
        ])
    func badSearches(_ query: PersonQuery, argument: String) async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            do {
                _ = try await fixture.services.people.search(query, limit: 20, by: try await fixture.actor("cw"))
                Issue.record("accepted")
            } catch let error as ServiceError {
                guard case .badArgument(let named, _) = error else { throw error }
                #expect(named == argument)
            }
            #expect(try await fixture.audit(.personSearch).isEmpty)
        }
    }

    @Test("PERSON SET answers the people the new details strongly match; details are recorded either way")
    func duplicateWarning() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let ids = try await Self.register(fixture)
            let caseworker = try await fixture.actor("cw")
            let second = try await fixture.services.cases.open(
                .json(#"{"ref":"s-4","current_country":"JO","sex":"male","nationality":"SY"}"#), by: caseworker)
            let warned = try await fixture.services.people.recordChecking(
                PersonDetailsChange(name: "محمد حسن الشمري", dateOfBirth: "1990-07-05"), forCase: second.id,
                by: caseworker)
            #expect(warned.map { $0.cases.map(\.id) } == [[ids.mohammed]])
            #expect(warned.allSatisfy { $0.isStrong })
            #expect(
                try await fixture.services.people.details(ofCase: second.id, by: caseworker).names == [
                    "محمد حسن الشمري"
                ])
            // Someone new: no warning. The brother's registration is not Mohammed's duplicate.
            let third = try await fixture.services.cases.open(
                .json(#"{"ref":"s-5","current_country":"JO","sex":"female","nationality":"SY"}"#), by: caseworker)
            #expect(
                try await fixture.services.people.recordChecking(
                    PersonDetailsChange(name: "Zainab Omar Khalil", dateOfBirth: "2001-03-03"), forCase: third.id,
                    by: caseworker
                ).isEmpty)
            let fourth = try await fixture.services.cases.open(
                .json(#"{"ref":"s-6","current_country":"JO","sex":"male","nationality":"SY"}"#), by: caseworker)
            #expect(
                try await fixture.services.people.recordChecking(
                    PersonDetailsChange(name: "Ahmad Hasan Shammari", dateOfBirth: "1994-11-20"), forCase: fourth.id,
                    by: caseworker
                ).map { $0.cases.map(\.id) } == [[ids.ahmed]])
        }
    }

    @Test("changing a person's name re-indexes them: the old name no longer finds them, the new one does")
    func reindexOnChange() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let ids = try await Self.register(fixture)
            let caseworker = try await fixture.actor("cw")
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Layla Mansour"), forCase: ids.fatima, by: caseworker)
            let old = try await fixture.services.people.search(
                PersonQuery(name: "Fatima Haddad"), limit: 5, by: caseworker)
            #expect(!old.contains { $0.cases.map(\.id) == [ids.fatima] })
            let new = try await fixture.services.people.search(
                PersonQuery(name: "Leila Mansur"), limit: 5, by: caseworker)
            #expect(new.first?.cases.map(\.id) == [ids.fatima])
            #expect(
                try await fixture.count("SELECT count(DISTINCT person_id) FROM person_match_keys") == 3)
        }
    }
}
