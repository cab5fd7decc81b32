import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// Persons registered before the blind index (schema 20) are indexed by the application at
/// start-up (`LegacyIdentifierMigration` runs the backfill), once; search finds them after.
@Suite("Person index backfill")
struct PersonIndexBackfillTests {
    @Test("persons without index rows are indexed once, and found by search again")
    func backfill() async throws {
        try await ServiceFixture.with(accounts: [("cw", .caseworker, "ngo-a")]) { fixture in
            let caseworker = try await fixture.actor("cw")
            var cases: [Int64] = []
            for (index, name) in ["Omar Farouk Zaher", "Huda Saleh Barakat", "Rami Nouri"].enumerated() {
                let record = try await fixture.services.cases.open(
                    .json(#"{"ref":"bf-\#(index)","current_country":"JO"}"#), by: caseworker)
                try await fixture.services.people.record(
                    PersonDetailsChange(name: name, dateOfBirth: "1980-0\(index + 1)-15"), forCase: record.id,
                    by: caseworker)
                cases.append(record.id)
            }
            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let before = try connection.query("SELECT person_id, kind, key FROM person_match_keys ORDER BY 1, 2, 3")
                .map { try $0.decode((Int64, Int, Int64).self) }
            // as it was before schema 20: no index rows
            try connection.execute("DELETE FROM person_match_keys")
            #expect(
                try await fixture.services.people.search(PersonQuery(name: "Huda Barakat"), limit: 5, by: caseworker)
                    .isEmpty)

            let backfill = PersonIndexBackfill(key: ServiceFixture.personalDataKey, logger: Logger(label: "test"))
            #expect(try backfill.run(on: connection) == 3)
            #expect(try backfill.run(on: connection) == 0)
            let after = try connection.query("SELECT person_id, kind, key FROM person_match_keys ORDER BY 1, 2, 3")
                .map { try $0.decode((Int64, Int, Int64).self) }
            #expect(after.map { "\($0)" } == before.map { "\($0)" })
            let found = try await fixture.services.people.search(
                PersonQuery(name: "Huda Barakat"), limit: 5, by: caseworker)
            #expect(found.first?.cases.map(\.id) == [cases[1]])
        }
    }
}
