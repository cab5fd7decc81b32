// One-dimensional arrays. `[UInt8]` is special: it is bytea, not an array of small numbers.
// `[String]` is text[], `[Int]` is int8[], `[Double]` is float8[]. NULL elements are not representable in these Swift
// types, so reading an array that contains NULL is a decoding error.

/// An element type that gives `[Element]` its PostgreSQL meaning.
public protocol PostgresArrayElement: Sendable {
    static var postgresArrayDataType: PostgresDataType { get }
    static func encodeArray(_ elements: [Self], into buffer: inout [UInt8])
    static func decodeArray(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [Self]?
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { Element.postgresArrayDataType }
    public func encode(into buffer: inout [UInt8]) { Element.encodeArray(self, into: &buffer) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [Element]? {
        Element.decodeArray(postgresText: text, type: type)
    }
}

extension UInt8: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .bytea }
    public static func encodeArray(_ elements: [UInt8], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: elements)
    }
    public static func decodeArray(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [UInt8]? {
        PostgresByteaText.decode(text)
    }
}

extension String: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .textArray }
    public static func encodeArray(_ elements: [String], into buffer: inout [UInt8]) {
        PostgresArrayBinary.encode(elements, elementType: .text, into: &buffer)
    }
    public static func decodeArray(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [String]? {
        PostgresArrayText.decode(text) { $0 }
    }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .int8Array }
    public static func encodeArray(_ elements: [Int], into buffer: inout [UInt8]) {
        PostgresArrayBinary.encode(elements, elementType: .int8, into: &buffer)
    }
    public static func decodeArray(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [Int]? {
        PostgresArrayText.decode(text) { Int($0) }
    }
}

extension Double: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .float8Array }
    public static func encodeArray(_ elements: [Double], into buffer: inout [UInt8]) {
        PostgresArrayBinary.encode(elements, elementType: .float8, into: &buffer)
    }
    public static func decodeArray(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> [Double]? {
        // The server prints shortest round-trip digits (and Infinity, NaN), as for one float8.
        PostgresArrayText.decode(text) { Double($0) }
    }
}

enum PostgresArrayBinary {
    /// PostgreSQL's binary array layout: ndim, has-null flag, element OID, then per dimension
    /// (length, lower bound 1), then each element as length-prefixed binary.
    static func encode<E: PostgresEncodable>(_ elements: [E], elementType: PostgresDataType, into buffer: inout [UInt8])
    {
        buffer.appendBigEndian(Int32(elements.isEmpty ? 0 : 1))
        buffer.appendBigEndian(Int32(0))
        buffer.appendBigEndian(elementType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.appendBigEndian(Int32(clamping: elements.count))
        buffer.appendBigEndian(Int32(1))
        var scratch: [UInt8] = []
        for element in elements {
            scratch.removeAll(keepingCapacity: true)
            element.encode(into: &scratch)
            buffer.appendBigEndian(Int32(clamping: scratch.count))
            buffer.append(contentsOf: scratch)
        }
    }
}

enum PostgresArrayText {
    /// Parses the literal and converts each element; nil when the literal does not parse, an
    /// element is NULL (not representable in these Swift arrays) or does not convert.
    static func decode<Element>(_ text: UnsafeRawBufferPointer, _ convert: (String) -> Element?) -> [Element]? {
        guard let items = parse(text) else { return nil }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let item, let value = convert(item) else { return nil }
            result.append(value)
        }
        return result
    }

    /// Parses a one-dimensional array literal such as `{a,"b c","d\"e",NULL}` (with an optional
    /// `[lo:hi]=` bounds prefix). Unquoted NULL becomes nil. Nested arrays give nil overall.
    static func parse(_ text: UnsafeRawBufferPointer) -> [String?]? {
        var index = 0
        let count = text.count
        if count > 0, text[0] == UInt8(ascii: "[") {
            while index < count, text[index] != UInt8(ascii: "=") { index += 1 }
            index += 1
        }
        guard index < count, text[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var items: [String?] = []
        if index < count, text[index] == UInt8(ascii: "}") {
            return index + 1 == count ? items : nil
        }
        while index < count {
            var bytes: [UInt8] = []
            if text[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < count {
                    let c = text[index]
                    if c == UInt8(ascii: "\\"), index + 1 < count {
                        bytes.append(text[index + 1])
                        index += 2
                    } else if c == UInt8(ascii: "\"") {
                        index += 1
                        closed = true
                        break
                    } else {
                        bytes.append(c)
                        index += 1
                    }
                }
                guard closed else { return nil }
                items.append(String(decoding: bytes, as: UTF8.self))
            } else {
                while index < count, text[index] != UInt8(ascii: ","), text[index] != UInt8(ascii: "}") {
                    if text[index] == UInt8(ascii: "{") { return nil }
                    bytes.append(text[index])
                    index += 1
                }
                let item = String(decoding: bytes, as: UTF8.self)
                items.append(item.uppercased() == "NULL" ? nil : item)
            }
            guard index < count else { return nil }
            if text[index] == UInt8(ascii: "}") {
                return index + 1 == count ? items : nil
            }
            guard text[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
        return nil
    }
}
