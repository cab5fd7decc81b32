/// Appends JSON to a byte buffer directly, so that a result line is built without intermediate
/// strings. Output is compact and deterministic: the same values always give the same bytes.
enum JSONByteWriter {
    static func appendUTF8(scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Appends a JSON string: only `"`, `\` and control characters are escaped, everything else is
    /// copied as UTF-8 (the input is known to be valid UTF-8).
    static func appendString<S: StringProtocol>(_ string: S, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            appendEscaped(byte, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "\\"))
        case 0x0A:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "n"))
        case 0x0D:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "r"))
        case 0x09:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "t"))
        case 0x08:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "b"))
        case 0x0C:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "f"))
        case 0..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0xF)])
        default:
            bytes.append(byte)
        }
    }

    /// Appends ASCII text that needs no escaping (keys, vocabulary ids, punctuation).
    @inline(__always)
    static func appendRaw(_ text: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func appendRaw(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    static func appendInt(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendUnsigned(UInt(value.magnitude), to: &bytes)
        } else {
            appendUnsigned(UInt(value), to: &bytes)
        }
    }

    private static func appendUnsigned(_ value: UInt, to bytes: inout [UInt8]) {
        if value >= 10 { appendUnsigned(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    static func appendBool(_ value: Bool, to bytes: inout [UInt8]) {
        appendRaw(value ? "true" : "false", to: &bytes)
    }

    static func appendOptionalBool(_ value: Bool?, to bytes: inout [UInt8]) {
        if let value { appendBool(value, to: &bytes) } else { appendRaw("null", to: &bytes) }
    }
}
