import Foundation
import Postgres
import Testing

@Suite("Values round-trip through PostgreSQL unchanged")
struct TypeRoundTripTests {
    /// Sends a value as a parameter, stores it in a typed column, reads it back.
    func roundTrip<T: PostgresEncodable & PostgresDecodable>(
        _ value: T, column type: String, on connection: PostgresConnection
    ) throws -> T {
        try connection.executeScript("DROP TABLE IF EXISTS box; CREATE TABLE box (v \(type))")
        try connection.execute("INSERT INTO box (v) VALUES (\(value))")
        let rows = try connection.query("SELECT v FROM box")
        #expect(rows.count == 1)
        return try rows[0].decode(T.self)
    }

    @Test func integersIncludingExtremes() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            for value in [0, 1, -1, Int.max, Int.min] {
                #expect(try roundTrip(value, column: "bigint", on: db) == value)
            }
            #expect(try roundTrip(Int64.min, column: "bigint", on: db) == Int64.min)
            #expect(try roundTrip(Int32.max, column: "integer", on: db) == Int32.max)
            #expect(try roundTrip(Int32.min, column: "integer", on: db) == Int32.min)
            #expect(try roundTrip(Int16.min, column: "smallint", on: db) == Int16.min)
        }
    }

    @Test func doublesIncludingSpecialValues() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            for value in [0.0, -0.0, 0.1, 1e300, -2.5e-300, Double.pi, .infinity, -.infinity] {
                #expect(try roundTrip(value, column: "double precision", on: db) == value)
            }
            #expect(try roundTrip(Double.nan, column: "double precision", on: db).isNaN)
        }
    }

    @Test func booleans() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            #expect(try roundTrip(true, column: "boolean", on: db) == true)
            #expect(try roundTrip(false, column: "boolean", on: db) == false)
        }
    }

    @Test func strings() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let samples = [
                "", "plain", "O'Brien \"quoted\" back\\slash",
                "'); DROP TABLE cases; --",
                "emoji 👩🏽‍⚖️ and flags 🇺🇦🇸🇾",
                "combining e\u{301} vs é, Hangul \u{1100}\u{1161}, Arabic مرحبا",
                "line\nbreaks\tand\r\ncontrols",
            ]
            for text in samples {
                let back = try roundTrip(text, column: "text", on: db)
                #expect(back == text)
                // Unicode-equal is not enough: the exact scalars must survive.
                #expect(Array(back.unicodeScalars) == Array(text.unicodeScalars))
            }
        }
    }

    @Test func oneMebibyteText() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let unit = "abcdefghijklmnopqrstuvwxyz0123456789-é€😀"
            let big = String(repeating: unit, count: (1 << 20) / unit.utf8.count + 1)
            #expect(big.utf8.count >= 1 << 20)
            let back = try roundTrip(big, column: "text", on: db)
            #expect(back == big)
        }
    }

    @Test func injectionTextIsStoredVerbatimAndTableSurvives() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (id serial PRIMARY KEY, note text NOT NULL)")
            let hostile = "'); DROP TABLE cases; --"
            try db.execute("INSERT INTO cases (note) VALUES (\(hostile))")
            let rows = try db.query("SELECT note FROM cases WHERE note = \(hostile)")
            #expect(rows.count == 1)
            #expect(try rows[0].decode(String.self, named: "note") == hostile)
            let count = try db.query("SELECT count(*) FROM cases")[0].decode(Int.self)
            #expect(count == 1)
        }
    }

    @Test func nullsDecodeOnlyIntoOptionals() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let none: String? = nil
            #expect(try roundTrip(none, column: "text", on: db) == nil)
            #expect(try roundTrip(Int?.none, column: "bigint", on: db) == nil)
            #expect(try roundTrip(Date?.none, column: "timestamptz", on: db) == nil)
            #expect(try roundTrip(Optional("x"), column: "text", on: db) == "x")
            let row = try db.query("SELECT NULL::text AS gone")[0]
            #expect(try row.decode(String?.self) == nil)
            #expect(throws: PostgresError.self) { try row.decode(String.self, named: "gone") }
        }
    }

    @Test func datesAsTimestamptzToTheMicrosecond() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let exact = Date(timeIntervalSinceReferenceDate: 797_000_123.456_789)
            let back = try roundTrip(exact, column: "timestamptz", on: db)
            #expect(abs(back.timeIntervalSince(exact)) < 0.000_001)
            let old = Date(timeIntervalSince1970: -2_000_000_000.25)  // 1906
            #expect(abs(try roundTrip(old, column: "timestamptz", on: db).timeIntervalSince(old)) < 0.000_001)
            // The server's own clock and an explicit offset decode to the right instant.
            let fixed = try db.query("SELECT '2024-03-01 12:30:00+05:30'::timestamptz")[0].decode(Date.self)
            #expect(fixed.timeIntervalSince1970 == 1_709_276_400)
        }
    }

    @Test func uuids() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let id = UUID()
            #expect(try roundTrip(id, column: "uuid", on: db) == id)
            let text = try db.query("SELECT \(id)::text")[0].decode(String.self)
            #expect(text == id.uuidString.lowercased())
        }
    }

    @Test func bytesWithZeroBytes() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let bytes: [UInt8] = [0, 1, 0, 255, 0, 0, 127, 128, 0]
            #expect(try roundTrip(bytes, column: "bytea", on: db) == bytes)
            #expect(try roundTrip([UInt8](), column: "bytea", on: db) == [])
            let data = Data((0..<4096).map { UInt8($0 % 256) })
            #expect(try roundTrip(data, column: "bytea", on: db) == data)
            let length = try db.query("SELECT length(\(bytes))")[0].decode(Int.self)
            #expect(length == bytes.count)
        }
    }

    struct Facts: Codable, Equatable {
        var nationality: String
        var dependants: Int
        var notes: [String]
    }

    @Test func jsonRawAndEncodable() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let facts = Facts(nationality: "SY", dependants: 2, notes: ["arrived 2024", "🙂 \"ok\""])
            let json = try PostgresJSON(encoding: facts)
            let back = try roundTrip(json, column: "jsonb", on: db)
            #expect(try back.decode(as: Facts.self) == facts)
            let viaJSONColumn = try roundTrip(
                PostgresJSON(rawJSON: #"{"b": 1, "a": [true, null]}"#), column: "json", on: db)
            // Values travel as jsonb, so a json column receives jsonb's normalised text.
            #expect(viaJSONColumn.rawJSON == #"{"a": [true, null], "b": 1}"#)
            let field = try db.query("SELECT \(json)->>'nationality'")[0].decode(String.self)
            #expect(field == "SY")
        }
    }

    @Test func invalidJSONIsAServerError() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            #expect(throws: PostgresError.self) {
                try db.query("SELECT \(PostgresJSON(rawJSON: "{not json"))")
            }
        }
    }

    @Test func textArrays() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let samples: [[String]] = [
                [], [""], ["a", "b"], ["NULL", "null"], ["with,comma", "{braces}", "quote\"d", "back\\slash"],
                ["  spaced  ", "é😀\u{301}"],
            ]
            for array in samples {
                #expect(try roundTrip(array, column: "text[]", on: db) == array)
            }
            let count = try db.query("SELECT cardinality(\(["x", "y", "z"]))")[0].decode(Int.self)
            #expect(count == 3)
            #expect(try roundTrip([3, -1, Int.max], column: "bigint[]", on: db) == [3, -1, Int.max])
        }
    }

    @Test func float8Arrays() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let samples: [[Double]] = [
                [], [0], [228, 237.6, -0.5], [1e-300, 1.7976931348623157e308, .infinity, -.infinity],
            ]
            for array in samples {
                #expect(try roundTrip(array, column: "float8[]", on: db) == array)
            }
            #expect(try db.query("SELECT '{1.5,2}'::float8[]")[0].decode([Double].self) == [1.5, 2])
            // NULL has no place in [Double]: reading one is an error, not a made-up number.
            #expect(throws: (any Error).self) { try db.query("SELECT '{1,NULL}'::float8[]")[0].decode([Double].self) }
        }
    }

    @Test func anyColumnReadsAsString() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 42::numeric(10,2), true, '{1,2}'::int[]")[0]
            #expect(try row.decode((String, String, String).self) == ("42.00", "t", "{1,2}"))
        }
    }
}
