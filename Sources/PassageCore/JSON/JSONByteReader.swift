/// A syntax error in a JSON text, with the 1-based column (byte offset) where it was found.
struct JSONSyntaxError: Error, Equatable, Sendable {
    let column: Int
    let reason: String
}

/// A JSON string as read from the input: a slice of the input when it had no escapes (the common
/// case, read without copying), or the decoded bytes when it had escapes.
enum JSONStringBytes {
    case slice(UnsafeBufferPointer<UInt8>)
    case decoded([UInt8])

    func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        switch self {
        case .slice(let buffer):
            return try body(buffer)
        case .decoded(let bytes):
            // The slow path (strings with escapes): a private copy keeps typed throws simple.
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            defer { buffer.deallocate() }
            _ = buffer.initialize(from: bytes)
            return try body(UnsafeBufferPointer(buffer))
        }
    }

    /// The text as a Swift string; the reader has already checked it is valid UTF-8.
    var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// A JSON number: only integers are ever wanted in case facts, so the reader says whether the
/// number was an integer that fits, an integer too large to hold, or had a fraction or exponent.
enum JSONNumber: Equatable {
    case integer(Int)
    case tooLarge(negative: Bool)
    case notAnInteger
}

/// The kind of JSON value that starts at the reader's position, used to report a wrong type
/// without first reading the whole value.
enum JSONValueKind: Equatable {
    case string, number, object, array, bool, null, invalid

    var description: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .object: return "an object"
        case .array: return "an array"
        case .bool: return "a boolean"
        case .null: return "null"
        case .invalid: return "invalid JSON"
        }
    }
}

/// A strict, single-pass reader over the UTF-8 bytes of one JSON text (RFC 8259). It never
/// allocates for strings without escapes and validates UTF-8 as it goes, so that a whole JSON
/// Lines file is read at memory speed and every byte is checked once.
struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.position = 0
    }

    var isAtEnd: Bool { position >= bytes.count }

    func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(column: position + 1, reason: reason)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Skips a UTF-8 byte order mark at the very start: some editors write one; it is not content.
    mutating func skipByteOrderMark() {
        if position == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
        }
    }

    /// The byte at the current position, or nil at the end.
    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` if it is next; whitespace is not skipped.
    mutating func consume(_ byte: UInt8) -> Bool {
        if position < bytes.count && bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONSyntaxError) {
        if consume(byte) { return }
        throw missing(what)
    }

    /// Kept out of line so that the hot `expect` stays a compare and a branch.
    @inline(never)
    private func missing(_ what: StaticString) -> JSONSyntaxError {
        error(isAtEnd ? "unexpected end of line, expected \(what)" : "expected \(what)")
    }

    func kindOfNextValue() -> JSONValueKind {
        guard let byte = peek() else { return .invalid }
        switch byte {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return .invalid
        }
    }

    // MARK: literals

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            return false
        }
        position += count
        return true
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONSyntaxError) -> Bool {
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw error("invalid literal")
    }

    /// Reads `null`.
    mutating func readNull() throws(JSONSyntaxError) {
        guard consumeLiteral("null") else { throw error("invalid literal") }
    }

    // MARK: numbers

    /// Reads a number following the JSON grammar exactly (no leading zeros, no `+`, no bare `.`).
    mutating func readNumber() throws(JSONSyntaxError) -> JSONNumber {
        let negative = consume(UInt8(ascii: "-"))
        var value = 0
        var overflow = false
        guard let first = peek(), first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") else {
            throw error("invalid number")
        }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            while let digit = peek(), digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(digit &- UInt8(ascii: "0")))
                if o1 || o2 { overflow = true } else { value = sum }
                position += 1
            }
        }
        var integral = true
        if consume(UInt8(ascii: ".")) {
            integral = false
            try readDigits()
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            integral = false
            _ = consume(UInt8(ascii: "+")) || consume(UInt8(ascii: "-"))
            try readDigits()
        }
        if !integral { return .notAnInteger }
        if overflow { return .tooLarge(negative: negative) }
        return .integer(negative ? -value : value)
    }

    private mutating func readDigits() throws(JSONSyntaxError) {
        let start = position
        while let digit = peek(), digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") {
            position += 1
        }
        if position == start { throw error("invalid number") }
    }

    // MARK: strings

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
    private mutating func readEscapedRemainder(from start: Int) throws(JSONSyntaxError) -> [UInt8] {
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

    private mutating func readEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
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

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
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
    private mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let length = UTF8Validation.sequenceLength(in: bytes, at: position)
        guard length > 0 else { throw error("invalid UTF-8") }
        position += length
    }

    // MARK: skipping

    /// Skips any JSON value; used only to recover a reference from a line that failed.
    mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) {
        guard depth < 64 else { throw error("nesting too deep") }
        switch kindOfNextValue() {
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        case .invalid: throw error("expected a value")
        case .array:
            position += 1
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if consume(UInt8(ascii: "]")) { return }
                try expect(UInt8(ascii: ","), "',' or ']'")
            }
        case .object:
            position += 1
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return }
            while true {
                skipWhitespace()
                _ = try readString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':'")
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if consume(UInt8(ascii: "}")) { return }
                try expect(UInt8(ascii: ","), "',' or '}'")
            }
        }
    }
}
