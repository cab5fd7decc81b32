import Crypto
import Foundation
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The issue's raw-SQL proofs: after persons are registered (and searched for), no column of any
/// table holds a name, date or number in clear, nor the clear match keys; and the blind index
/// cannot be reversed without the key, which is nowhere in the database.
@Suite("Person index privacy (raw SQL)")
struct PersonIndexPrivacyTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [("cw", .caseworker, "ngo-a")]

    /// Distinctive values, each in the forms it could leak in.
    static let people: [PersonDetailsChange] = [
        PersonDetailsChange(
            name: "Zubayda Qarawi Xerxesian", dateOfBirth: "1987-03-14", phone: "+963 944 777 123",
            documents: ["ZX9876543"]),
        PersonDetailsChange(
            name: "يوسف القرعاوي", dateOfBirth: "1979-11-23", phone: "0933 456 789", documents: ["QW-5550101"]),
    ]
    static let needles: [String] = [
        "Zubayda", "zubayda", "ZUBAYDA", "Qarawi", "qarawi", "Xerxesian", "xerxesian", "يوسف", "القرعاوي", "ywsf",
        "1987-03-14", "1987-03", "14.03.1987", "1979-11-23", "1979-11", "944777123", "944 777 123", "933456789",
        "ZX9876543", "QW-5550101", "QW5550101",
        // clear match keys, as PersonMatchKeys makes them
        "sbd", "krw|sbd", "sbd|1987", "ysf|1979",
    ]

    /// Every text-like and bytea column of every table and view of the public schema.
    static func columns(_ connection: PostgresConnection) throws -> [(table: String, column: String, bytes: Bool)] {
        try connection.query(
            """
            SELECT c.relname, a.attname, t.typname = 'bytea'
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_type t ON t.oid = a.atttypid
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0 AND NOT a.attisdropped
               AND t.typname IN ('text', 'varchar', 'bpchar', 'bytea', 'json', 'jsonb', '_text', '_varchar', 'name')
             ORDER BY 1, 2
            """
        ).map { try $0.decode((String, String, Bool).self) }
    }

    @Test("no column of any table holds a name, date, number or clear match key of the persons registered")
    func nothingInClear() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            for (index, person) in Self.people.enumerated() {
                let record = try await fixture.services.cases.open(
                    .json(#"{"ref":"raw-\#(index)","current_country":"JO"}"#), by: caseworker)
                _ = try await fixture.services.people.recordChecking(person, forCase: record.id, by: caseworker)
                _ = try await fixture.services.people.search(
                    PersonQuery(name: person.name, phone: person.phone), limit: 5, by: caseworker)
            }
            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let columns = try Self.columns(connection)
            #expect(columns.contains { $0.table == "persons" && $0.column == "identifiers" })
            #expect(try connection.query("SELECT count(*) FROM person_match_keys")[0].decode(Int.self) > 10)
            var leaks: [String] = []
            for (table, column, bytes) in columns {
                for needle in Self.needles {
                    let found =
                        bytes
                        ? try connection.query(
                            """
                            SELECT count(*) FROM \(identifier: table)
                             WHERE position(convert_to(\(needle), 'UTF8') in \(identifier: column)) > 0
                            """)
                        : try connection.query(
                            "SELECT count(*) FROM \(identifier: table) WHERE \(identifier: column)::text LIKE '%' || \(needle) || '%'"
                        )
                    if try found[0].decode(Int.self) > 0 { leaks.append("\(table).\(column): \(needle)") }
                }
            }
            #expect(leaks == [])
        }
    }

    @Test(
        "the blind index is not reversible without its key: the key is in no column, and a dictionary attack under another key (or unkeyed hashes) finds nothing, where under the key it finds the person"
    )
    func notReversibleWithoutTheKey() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"dict-1","current_country":"JO"}"#), by: caseworker)
            try await fixture.services.people.record(Self.people[0], forCase: record.id, by: caseworker)

            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let stored = Set(
                try connection.query("SELECT key FROM person_match_keys").map { try $0.decode(Int64.self) })
            #expect(stored.count >= 10)

            // The attacker's dictionary: every key a name of the evaluation tables, a date of
            // birth from 1950 to 2010, or the phone would make (the person's own among them).
            var dictionary = Set<MatchKey>()
            for name in ["Zubayda Qarawi Xerxesian", "Mohammed Ali Hassan", "Fatima Omar Haddad"] {
                dictionary.formUnion(
                    PersonMatchKeys.forRecord(
                        MatchablePerson(
                            names: [name], dateOfBirth: "1987-03-14", phone: "+963 944 777 123",
                            documents: ["ZX9876543"])))
            }
            for year in 1950...2010 {
                for month in 1...12 {
                    for day in 1...28 {
                        let date = String(format: "%04d-%02d-%02d", year, month, day)
                        dictionary.insert(MatchKey(.birthDate, date))
                        dictionary.insert(MatchKey(.birthYearMonth, String(date.prefix(7))))
                    }
                }
            }
            let right = PersonMatchIndexKey(secret: ServiceFixture.personalDataKey.secret)
            let wrong = PersonMatchIndexKey(secret: "an attacker's guess of the key, forty chars long")
            let underRight = Set(dictionary.map(right.blind))
            let underWrong = Set(dictionary.map(wrong.blind))
            let unkeyed = Set(
                dictionary.map { key in
                    let digest = SHA256.hash(data: Array("\(key.kind.rawValue)|\(key.value)".utf8))
                    return Int64(bitPattern: digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) })
                })
            let foundWithTheKey = stored.isSubset(of: underRight)
            let foundWithout = stored.intersection(underWrong).count
            let foundUnkeyed = stored.intersection(unkeyed).count
            #expect(foundWithTheKey)  // the attack works with the key …
            #expect(foundWithout == 0)  // … and finds nothing without it
            #expect(foundUnkeyed == 0)

            // Neither the personal-data key nor anything derived from it is stored anywhere.
            let secret = ServiceFixture.personalDataKey.secret
            for (table, column, bytes) in try Self.columns(connection) {
                let found =
                    bytes
                    ? try connection.query(
                        """
                        SELECT count(*) FROM \(identifier: table)
                         WHERE position(convert_to(\(secret), 'UTF8') in \(identifier: column)) > 0
                        """)
                    : try connection.query(
                        "SELECT count(*) FROM \(identifier: table) WHERE \(identifier: column)::text LIKE '%' || \(secret) || '%'"
                    )
                #expect(try found[0].decode(Int.self) == 0, "\(table).\(column)")
            }
        }
    }
}
