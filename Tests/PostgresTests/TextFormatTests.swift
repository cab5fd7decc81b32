import Foundation
import Testing

@testable import Postgres

/// The text parsers on their own, with inputs a live server rarely produces.
@Suite("Text-format parsers")
struct TextFormatTests {
    func micros(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { PostgresTimestampText.microsecondsSince2000($0) }
    }

    func array(_ text: String) -> [String?]? {
        Array(text.utf8).withUnsafeBytes { PostgresArrayText.parse($0) }
    }

    @Test func timestampsWithOffsetsAndFractions() {
        #expect(micros("2000-01-01 00:00:00+00") == 0)
        #expect(micros("2000-01-01 00:00:00.5+00") == 500_000)
        #expect(micros("2000-01-01 00:00:00.000001+00") == 1)
        #expect(micros("2000-01-01 01:00:00+01") == 0)
        #expect(micros("1999-12-31 23:00:00-01") == 0)
        #expect(micros("2000-01-01 05:30:15+05:30:15") == 0)
        #expect(micros("2000-01-01") == 0)
        #expect(micros("1970-01-01 00:00:00+00") == -946_684_800_000_000)
        #expect(micros("10000-01-01 00:00:00+00") != nil)
        #expect(micros("infinity") == nil)
        #expect(micros("2000-13-01 00:00:00+00") == nil)
        #expect(micros("2000-01-01 00:00:00+00 BC") == nil)
        #expect(micros("2000-01-01 00:00:00.+00") == nil)
    }

    @Test func arrayLiterals() {
        #expect(array("{}") == [])
        #expect(array("{a,b}") == ["a", "b"])
        #expect(array(#"{"a b","c\"d","e\\f"}"#) == ["a b", "c\"d", "e\\f"])
        #expect(array("{NULL,\"NULL\"}") == [nil, "NULL"])
        #expect(array("[0:1]={x,y}") == ["x", "y"])
        #expect(array("{{1,2},{3,4}}") == nil)
        #expect(array("{a,b") == nil)
        #expect(array("{\"open}") == nil)
        #expect(array("{a}trailing") == nil)
    }

    @Test func integersWithoutStrings() {
        func parse(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBytes { $0.parseDecimalInteger() } }
        #expect(parse("0") == 0)
        #expect(parse("-9223372036854775808") == Int64.min)
        #expect(parse("9223372036854775807") == Int64.max)
        #expect(parse("9223372036854775808") == nil)
        #expect(parse("+7") == 7)
        #expect(parse("") == nil)
        #expect(parse("-") == nil)
        #expect(parse("1.5") == nil)
    }

    @Test func byteaHex() {
        func decode(_ text: String) -> [UInt8]? { Array(text.utf8).withUnsafeBytes { PostgresByteaText.decode($0) } }
        #expect(decode("\\x") == [])
        #expect(decode("\\x00ff10") == [0, 255, 16])
        #expect(decode("\\x0") == nil)
        #expect(decode("\\xzz") == nil)
        #expect(decode("abc") == nil)
    }

    @Test func identifiersForUnescapedInterpolation() {
        #expect(PostgresQuery.isPlainIdentifier("cases"))
        #expect(PostgresQuery.isPlainIdentifier("public.cases"))
        #expect(PostgresQuery.isPlainIdentifier("_x1"))
        #expect(!PostgresQuery.isPlainIdentifier("1x"))
        #expect(!PostgresQuery.isPlainIdentifier("cases;"))
        #expect(!PostgresQuery.isPlainIdentifier("a b"))
        #expect(!PostgresQuery.isPlainIdentifier(""))
        #expect(!PostgresQuery.isPlainIdentifier("a..b"))
    }

    @Test func interpolationBindsInOrder() {
        let name: String? = nil
        let query: PostgresQuery = "SELECT \(1), \(name), \("x") FROM \(unescaped: "t")"
        #expect(query.sql == "SELECT $1, $2, $3 FROM t")
        #expect(query.binds.map(\.type) == [.int8, .text, .text])
        #expect(query.binds[1].bytes == nil)
        #expect(query.binds[2].bytes == Array("x".utf8))
        #expect(query.invalidReason == nil)
    }
}
