// Integer, floating point, boolean and text values. Encoded in binary (big-endian, as the
// wire protocol specifies); decoded from the text the server sends.

extension UnsafeRawBufferPointer {
    /// Parses an optionally signed decimal integer without building a String (hot path).
    func parseDecimalInteger() -> Int64? {
        guard !isEmpty else { return nil }
        var index = startIndex
        var negative = false
        if self[index] == UInt8(ascii: "-") || self[index] == UInt8(ascii: "+") {
            negative = self[index] == UInt8(ascii: "-")
            index += 1
            guard index < endIndex else { return nil }
        }
        var value: Int64 = 0
        while index < endIndex {
            let digit = self[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            // Accumulate negatively so Int64.min parses too.
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(Int64(self)) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Int? {
        text.parseDecimalInteger().flatMap { Int(exactly: $0) }
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Int64? {
        text.parseDecimalInteger()
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int4 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Int32? {
        text.parseDecimalInteger().flatMap { Int32(exactly: $0) }
    }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int2 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Int16? {
        text.parseDecimalInteger().flatMap { Int16(exactly: $0) }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .float8 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(bitPattern) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Double? {
        // The server prints shortest round-trip digits, "Infinity", "-Infinity" and "NaN";
        // Double's own parser accepts all of these.
        Double(text.utf8String)
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .bool }
    public func encode(into buffer: inout [UInt8]) { buffer.append(self ? 1 : 0) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Bool? {
        guard text.count == 1 else { return nil }
        switch text[0] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: return nil
        }
    }
}

extension String: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .text }
    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
    /// Any column can be read as its text representation.
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> String? {
        text.utf8String
    }
}

extension Substring: PostgresEncodable {
    public static var postgresDataType: PostgresDataType { .text }
    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}
