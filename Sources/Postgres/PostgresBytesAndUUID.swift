import Foundation

// bytea and uuid. bytea is sent raw (binary format, so zero bytes are just bytes) and read
// from the server's hex text form (`\x0a1b…`, bytea_output=hex is set per session).

extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .uuid }
    public func encode(into buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> UUID? {
        UUID(uuidString: text.utf8String)
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .bytea }
    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Data? {
        PostgresByteaText.decode(text).map { Data($0) }
    }
}

enum PostgresByteaText {
    /// Decodes `\x` followed by hex digit pairs.
    static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count >= 2, text.count % 2 == 0, text[0] == UInt8(ascii: "\\"),
            text[1] == UInt8(ascii: "x")
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: (text.count - 2) / 2)
        var out = 0
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes[out] = high << 4 | low
            out += 1
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
