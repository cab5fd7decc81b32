/// Reads one typed fact value from JSON, turning every syntax or type problem into a
/// `CaseFactsError` that names the key. The decoder of each object calls these per key.
struct FactValueReader {
    var json: JSONByteReader

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        json = JSONByteReader(bytes)
    }

    func syntaxError(_ key: FactKey?, _ error: JSONSyntaxError) -> CaseFactsError {
        CaseFactsError(key: key?.rawValue, problem: .invalidJSON(column: error.column, reason: error.reason))
    }

    /// Refuses a value of the wrong JSON type before reading it.
    func requireKind(_ kind: JSONValueKind, _ key: FactKey, expected: @autoclosure () -> String) throws(CaseFactsError)
    {
        let found = json.kindOfNextValue()
        if found == kind { return }
        if found == .invalid { throw syntaxError(key, json.error("expected a value")) }
        throw CaseFactsError(key, .wrongType(expected: expected(), found: found.description))
    }

    mutating func readString(_ key: FactKey, expected: @autoclosure () -> String = "a string") throws(CaseFactsError)
        -> JSONStringBytes
    {
        try requireKind(.string, key, expected: expected())
        do { return try json.readString() } catch { throw syntaxError(key, error) }
    }

    mutating func readBool(_ key: FactKey) throws(CaseFactsError) -> Bool {
        try requireKind(.bool, key, expected: "true or false")
        do { return try json.readBool() } catch { throw syntaxError(key, error) }
    }

    mutating func readInteger(_ key: FactKey, in range: ClosedRange<Int>) throws(CaseFactsError) -> Int {
        try requireKind(.number, key, expected: "an integer")
        let start = json.position
        let number: JSONNumber
        do { number = try json.readNumber() } catch { throw syntaxError(key, error) }
        if case .integer(let value) = number, range.contains(value) { return value }
        let text = String(decoding: UnsafeBufferPointer(rebasing: json.bytes[start..<json.position]), as: UTF8.self)
        if number == .notAnInteger {
            throw CaseFactsError(key, .wrongType(expected: "an integer", found: text))
        }
        throw CaseFactsError(key, .outOfRange(value: text, range: range))
    }

    mutating func readVocabulary<V: FactVocabulary>(_ key: FactKey, as type: V.Type) throws(CaseFactsError) -> V {
        let token = try readString(key, expected: "one of \(V.vocabulary.allowedList)")
        guard let match = token.withBytes({ V.vocabulary.lookup($0) }) else {
            throw CaseFactsError(key, .notInVocabulary(value: token.string, allowed: V.vocabulary.ids))
        }
        return match.value
    }

    /// An array of vocabulary ids, each at most once, in the order given.
    mutating func readVocabularyList<V: FactVocabulary>(_ key: FactKey, as type: V.Type) throws(CaseFactsError) -> [V] {
        try requireKind(.array, key, expected: "an array of ids")
        _ = json.consume(UInt8(ascii: "["))
        var values: [V] = []
        var seen: UInt64 = 0
        json.skipWhitespace()
        if json.consume(UInt8(ascii: "]")) { return values }
        while true {
            json.skipWhitespace()
            let kind = json.kindOfNextValue()
            if kind != .string && kind != .invalid {
                throw CaseFactsError(
                    key,
                    .wrongType(
                        expected: "an array of ids (strings)",
                        found: "an array holding \(kind.description)"))
            }
            let token = try readString(key)
            guard let match = token.withBytes({ V.vocabulary.lookup($0) }) else {
                throw CaseFactsError(key, .notInVocabulary(value: token.string, allowed: V.vocabulary.ids))
            }
            let bit: UInt64 = 1 << UInt64(match.index)
            if seen & bit != 0 { throw CaseFactsError(key, .repeatedValue(match.value.rawValue)) }
            seen |= bit
            values.append(match.value)
            json.skipWhitespace()
            if json.consume(UInt8(ascii: "]")) { return values }
            do { try json.expect(UInt8(ascii: ","), "',' or ']'") } catch { throw syntaxError(key, error) }
        }
    }

    mutating func readCountry(_ key: FactKey) throws(CaseFactsError) -> CountryCode {
        let token = try readString(key, expected: "a country code")
        guard let code = token.withBytes({ CountryCode(bytes: $0) }) else {
            throw CaseFactsError(key, .notACountryCode(token.string))
        }
        return code
    }

    /// An array of assigned country codes, each at most once, in the order given.
    mutating func readCountryList(_ key: FactKey) throws(CaseFactsError) -> [CountryCode] {
        try requireKind(.array, key, expected: "an array of country codes")
        _ = json.consume(UInt8(ascii: "["))
        var codes: [CountryCode] = []
        json.skipWhitespace()
        if json.consume(UInt8(ascii: "]")) { return codes }
        while true {
            json.skipWhitespace()
            let kind = json.kindOfNextValue()
            if kind != .string && kind != .invalid {
                throw CaseFactsError(
                    key,
                    .wrongType(
                        expected: "an array of country codes (strings)",
                        found: "an array holding \(kind.description)"))
            }
            let code = try readCountry(key)
            if codes.contains(code) { throw CaseFactsError(key, .repeatedValue(code.alpha2)) }
            codes.append(code)
            json.skipWhitespace()
            if json.consume(UInt8(ascii: "]")) { return codes }
            do { try json.expect(UInt8(ascii: ","), "',' or ']'") } catch { throw syntaxError(key, error) }
        }
    }

    mutating func readSubdivision(_ key: FactKey) throws(CaseFactsError) -> SubdivisionCode {
        let token = try readString(key, expected: "a subdivision code")
        guard let code = token.withBytes({ SubdivisionCode(bytes: $0) }) else {
            throw CaseFactsError(key, .notASubdivisionCode(token.string))
        }
        return code
    }

    mutating func readNationality(_ key: FactKey) throws(CaseFactsError) -> Nationality {
        let token = try readString(key, expected: "a country code, stateless or unknown")
        guard let nationality = token.withBytes({ Nationality(bytes: $0) }) else {
            throw CaseFactsError(key, .notANationality(token.string))
        }
        return nationality
    }

    mutating func readReference(_ key: FactKey) throws(CaseFactsError) -> String {
        let token = try readString(key)
        return try token.withBytes { bytes throws(CaseFactsError) in try ReferenceRules.validated(bytes, key: key) }
    }
}

/// The contract's limits on `ref`, shared by JSON decoding and `key=value` updates.
enum ReferenceRules {
    static func validated(_ bytes: UnsafeBufferPointer<UInt8>, key: FactKey) throws(CaseFactsError) -> String {
        let count = UTF8Validation.scalarCount(bytes)
        guard CaseFacts.referenceLength.contains(count) else {
            throw CaseFactsError(key, .referenceLength(count: count))
        }
        // A reference is shown in consoles, logs and file names: control characters (C0, DEL,
        // and C1, which UTF-8 writes as C2 80–C2 9F) would corrupt all of them.
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                throw CaseFactsError(key, .controlCharacterInReference)
            }
            previous = byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
