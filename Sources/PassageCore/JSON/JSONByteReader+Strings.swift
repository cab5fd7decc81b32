/// Strings: the fast path reads ASCII without copying; escapes and non-ASCII take the careful path.
extension JSONByteReader {
    /// Reads a string (the reader must be at its opening quote).
    mutating func readString() throws(JSONSyntaxError) -> JSONStringBytes {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        // The common case — printable ASCII up to the closing quote — in a tight loop on a local
        // index; anything else (escape, control, non-ASCII) leaves it for the careful path.
        var index = position
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return .slice(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
            // One comparison catches both control characters (< 0x20) and non-ASCII (>= 0x80).
            if byte == UInt8(ascii: "\\") || byte &- 0x20 >= 0x60 { break }
            index += 1
        }
        position = index
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return .slice(slice)
            }
            if byte == UInt8(ascii: "\\") {
                return .decoded(try readEscapedRemainder(from: start))
            }
            if byte < 0x20 { throw error("control character in string") }
            if byte < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw error("unterminated string")
    }

    /// The slow path, taken at the first backslash: copy what was read, then decode escapes.
    fileprivate mutating func readEscapedRemainder(from start: Int) throws(JSONSyntaxError) -> [UInt8] {
        var decoded = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return decoded
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw error("control character in string")
            case 0x80...:
                let sequenceStart = position
                try skipUTF8Sequence()
                decoded.append(contentsOf: bytes[sequenceStart..<position])
            default:
                decoded.append(byte)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    fileprivate mutating func readEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        guard let byte = peek() else { throw error("unterminated string") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                    throw error("unpaired surrogate in \\u escape")
                }
                let low = try readHex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw error("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw error("unpaired surrogate in \\u escape")
            }
            JSONByteWriter.appendUTF8(scalar: scalar, to: &decoded)
        default:
            position -= 1
            throw error("invalid escape in string")
        }
    }

    fileprivate mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Checks one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF).
    fileprivate mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let length = UTF8Validation.sequenceLength(in: bytes, at: position)
        guard length > 0 else { throw error("invalid UTF-8") }
        position += length
    }
}
