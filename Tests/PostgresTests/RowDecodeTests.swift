import Foundation
import Postgres
import Testing

@Suite("Rows decode whole into typed tuples")
struct RowDecodeTests {
    @Test func aRowDecodesIntoATupleInColumnOrder() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query(
                "SELECT 7::bigint AS id, 'Amal' AS name, timestamptz '2026-01-02 03:04:05+00' AS due, NULL::text AS note, true AS open"
            )[0]
            let (id, name, due, note, open) = try row.decode((Int64, String, Date, String?, Bool).self)
            #expect(id == 7)
            #expect(name == "Amal")
            #expect(due == Date(timeIntervalSince1970: 1_767_323_045))
            #expect(note == nil)
            #expect(open)
        }
    }

    @Test func aSingleColumnDecodesAsAOneElementTuple() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let count = try db.query("SELECT count(*) FROM generate_series(1, 5)")[0].decode((Int).self)
            #expect(count == 5)
        }
    }

    @Test func aWideRowOfTwentySevenColumnsDecodes() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let list = (0..<27).map { "\($0)::int AS c\($0)" }.joined(separator: ", ")
            let row = try db.query(PostgresQuery(unsafeSQL: "SELECT \(list)"))[0]
            let values = try row.decode(
                (
                    Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int,
                    Int, Int, Int, Int, Int, Int, Int
                ).self)
            #expect(values.0 == 0)
            #expect(values.13 == 13)
            #expect(values.26 == 26)
        }
    }

    @Test func nullIntoANonOptionalNamesTheColumnAndType() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 1::bigint AS id, NULL::timestamptz AS due")[0]
            do {
                _ = try row.decode((Int64, Date).self)
                Issue.record("NULL must not decode into a non-optional Date")
            } catch let PostgresError.decoding(column, index, expected, got) {
                #expect(column == "due")
                #expect(index == 1)
                #expect(expected == "Date")
                #expect(got == "NULL")
            }
            #expect(try row.decode((Int64, Date?).self).1 == nil)
        }
    }

    @Test func aValueOfTheWrongTypeNamesTheColumnIndex() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 1 AS id, 'soon' AS due, 3 AS version")[0]
            let error = #expect(throws: PostgresError.self) { try row.decode((Int, Int, Int).self) }
            guard case .decoding(let column, let index, let expected, let got)? = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect((column, index, expected) == ("due", 1, "Int"))
            #expect(got.contains("soon"))
            #expect(error?.description.contains("column 1 \"due\"") == true)
        }
    }

    @Test func aTupleOfTheWrongWidthIsRefused() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 1 AS id, 'a' AS name, 2 AS version")[0]
            let fewer = #expect(throws: PostgresError.self) { try row.decode((Int, String).self) }
            #expect(fewer?.description.contains("the row has 3 columns") == true)
            #expect(throws: PostgresError.self) { try row.decode((Int, String, Int, Int).self) }
        }
    }

    @Test func aPartOfARowDecodesFromItsFirstColumn() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 1 AS id, 'a' AS name, 2 AS version, NULL::text AS note")[0]
            let (name, version) = try row.decode((String, Int).self, startingAt: 1)
            #expect(name == "a" && version == 2)
            #expect(try row.decode((Int, String?).self, startingAt: 2) == (2, nil))
            #expect(throws: PostgresError.self) { try row.decode((Int, String?).self, startingAt: 3) }
            #expect(throws: PostgresError.self) { try row.decode((Int).self, startingAt: -1) }
        }
    }
}
