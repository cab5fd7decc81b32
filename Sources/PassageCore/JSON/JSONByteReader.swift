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
    /// Index of the next byte to read (set only by the reader and its extensions).
    var position: Int

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
}
