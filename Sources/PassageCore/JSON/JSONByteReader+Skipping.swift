extension JSONByteReader {
    /// Skips any JSON value: to recover the reference of a line that failed, and to tell "not an
    /// object" from broken JSON. Nesting is capped so that a hostile line cannot exhaust the stack.
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
