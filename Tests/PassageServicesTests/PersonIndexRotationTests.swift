import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// The blind index is keyed by a key derived from the personal-data key (Docs/finding-persons.md
/// §4 "Rotation"): after `passage pii-key rotate` a person is still found by search and by the
/// duplicate check — during the rotation under either key, after it under the new one only.
@Suite("Person index after a key rotation")
struct PersonIndexRotationTests {
    static let old = ServiceFixture.personalDataKey
    static let new = try! PIIKey(secret: "the-rotated-personal-data-key-of-forty-chars")
    static let quiet = Logger(label: "test.rotation", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Huda registered under the old key; her case id.
    static func registerHuda(_ fixture: ServiceFixture, _ caseworker: Actor) async throws -> Int64 {
        let record = try await fixture.services.cases.open(
            .json(#"{"ref":"rot-1","current_country":"JO"}"#), by: caseworker)
        try await fixture.services.people.record(
            PersonDetailsChange(name: "Huda Saleh Barakat", dateOfBirth: "1985-03-12", phone: "+962 79 555 0101"),
            forCase: record.id, by: caseworker)
        return record.id
    }

    static func services(_ fixture: ServiceFixture, _ key: PIIKey) -> ApplicationServices {
        .onStore(StoreSetup(pool: fixture.pool, personalDataKey: key))
    }

    static func generations(_ connection: PostgresConnection) throws -> [Int64?] {
        try connection.query("SELECT match_key_generation FROM persons ORDER BY id").map { try $0.decode(Int64?.self) }
    }

    @Test(
        "during a rotation search finds a person not yet re-indexed; the rotation rebuilds the index; after it search and the duplicate check find the person under the new key alone"
    )
    func rotation() async throws {
        try await ServiceFixture.with(accounts: [("cw", .caseworker, "ngo-a")]) { fixture in
            let caseworker = try await fixture.actor("cw")
            let huda = try await Self.registerHuda(fixture, caseworker)
            let query = PersonQuery(name: "Houda Barakat", birth: .years(1985...1985))
            let rotatingKey = try Self.new.opening(alsoUnder: Self.old)

            // The servers run with both keys, the index is still under the old one.
            let during = Self.services(fixture, rotatingKey)
            #expect(try await during.people.search(query, limit: 5, by: caseworker).first?.cases.map(\.id) == [huda])

            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            #expect(try Self.generations(connection) == [PersonIndexStore(key: Self.old).generation])
            let report = try PersonalDataKeyRotation(key: rotatingKey, batchSize: 2).run(on: connection, actor: "op")
            #expect(report.total == 1)
            #expect(report.personsReindexed == 1)
            #expect(try Self.generations(connection) == [PersonIndexStore(key: Self.new).generation])
            #expect(PersonIndexStore(key: Self.new).generation != PersonIndexStore(key: Self.old).generation)
            // A second run has nothing left to rebuild.
            #expect(
                try PersonalDataKeyRotation(key: rotatingKey).run(on: connection, actor: "op").personsReindexed == 0)

            // The previous key is dropped: the new key alone finds her, by search…
            let after = Self.services(fixture, Self.new)
            #expect(try await after.people.search(query, limit: 5, by: caseworker).first?.cases.map(\.id) == [huda])
            // … and by the duplicate check of a second registration of her.
            let second = try await after.cases.open(.json(#"{"ref":"rot-2","current_country":"JO"}"#), by: caseworker)
            let matches = try await after.people.recordChecking(
                PersonDetailsChange(name: "Houda Barakat", dateOfBirth: "1985-03-12", phone: "0795550101"),
                forCase: second.id, by: caseworker)
            #expect(matches.map { $0.cases.map(\.id) } == [[huda]])
            #expect(
                try connection.query("SELECT count(*) FROM duplicate_pairs WHERE status = 'new'")[0].decode(Int.self)
                    == 1)
        }
    }

    @Test(
        "a start with the previous key still held leaves stale persons to the rotation; a start with the new key alone rebuilds them before serving"
    )
    func startRebuildsWhatTheRotationLeft() async throws {
        try await ServiceFixture.with(accounts: [("cw", .caseworker, "ngo-a")]) { fixture in
            let caseworker = try await fixture.actor("cw")
            let huda = try await Self.registerHuda(fixture, caseworker)
            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let rotatingKey = try Self.new.opening(alsoUnder: Self.old)
            #expect(try PersonIndexBackfill(key: rotatingKey, logger: Self.quiet).run(on: connection) == 0)
            #expect(try Self.generations(connection) == [PersonIndexStore(key: Self.old).generation])

            // The rotation, then the index put back under the old key, as if its rebuild had
            // not run (interrupted); the restart without the old key could not find her.
            _ = try PersonalDataKeyRotation(key: rotatingKey).run(on: connection, actor: "op")
            let oldOpeningNew = try Self.old.opening(alsoUnder: Self.new)
            #expect(
                try PersonIndexBackfill(key: oldOpeningNew, logger: Self.quiet).run(
                    on: connection, rebuildingStale: true) == 1)
            #expect(try Self.generations(connection) == [PersonIndexStore(key: Self.old).generation])
            let newOnly = Self.services(fixture, Self.new)
            #expect(
                try await newOnly.people.search(PersonQuery(name: "Huda Barakat"), limit: 5, by: caseworker).isEmpty)

            #expect(try PersonIndexBackfill(key: Self.new, logger: Self.quiet).run(on: connection) == 1)
            #expect(try Self.generations(connection) == [PersonIndexStore(key: Self.new).generation])
            #expect(
                try await newOnly.people.search(PersonQuery(name: "Huda Barakat"), limit: 5, by: caseworker).first?
                    .cases.map(\.id) == [huda])
        }
    }
}
