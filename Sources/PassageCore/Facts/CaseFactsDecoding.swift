extension CaseFacts {
    /// Decodes one line of case facts (a JSON object), strictly: unknown keys, repeated keys,
    /// wrong types, values outside the vocabularies, repeated array values and bad codes are
    /// errors naming the key. Surrounding whitespace (including a trailing CR) is allowed.
    public static func decode(jsonLine: some StringProtocol) throws(CaseFactsError) -> CaseFacts {
        try decode(jsonLine: Array(jsonLine.utf8))
    }

    public static func decode(jsonLine: [UInt8]) throws(CaseFactsError) -> CaseFacts {
        try jsonLine.withUnsafeBufferPointer { bytes throws(CaseFactsError) in try decode(utf8: bytes) }
    }

    /// Decodes from raw UTF-8 bytes without copying them (the streaming path of `passage classify`).
    public static func decode(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(CaseFactsError) -> CaseFacts {
        var decoder = CaseFactsDecoder(bytes)
        return try decoder.decodeLine()
    }

    /// These facts with the keys of a JSON object in the case-facts vocabulary replacing theirs
    /// (for `CASE SET <id> {…}`): keys not in the object are kept, a nested object replaces the
    /// whole nested object, and the result is checked as a whole. Values obey the same rules as
    /// in `decode` (so `null` is only accepted for `employment` and `trafficking`); to clear a
    /// field, use `applying(updates:)` with `null`.
    public func applying(jsonObject: some StringProtocol) throws(CaseFactsError) -> CaseFacts {
        let bytes = Array(jsonObject.utf8)
        var merged = self
        try bytes.withUnsafeBufferPointer { buffer throws(CaseFactsError) in
            var decoder = CaseFactsDecoder(buffer)
            _ = try decoder.decodeObject(into: &merged)
        }
        try CaseFactsConsistency.check(merged)
        return merged
    }
}

/// The top-level object of one line: one pass, one branch per contract key.
struct CaseFactsDecoder {
    private var reader: FactValueReader

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        reader = FactValueReader(bytes)
    }

    /// The keys every line must give (contract section 2), with their bits in the top-level table.
    private static let requiredKeys: [(FactKey, UInt64)] = [FactKey.ref, .currentCountry].map {
        ($0, FactKey.topLevelTable.bit(of: $0))
    }

    mutating func decodeLine() throws(CaseFactsError) -> CaseFacts {
        // Placeholders for the two required keys; the returned key bits say whether they were given.
        var facts = CaseFacts(ref: "", currentCountry: CountryCode(uncheckedFirst: 0x41, second: 0x41))
        let seen = try decodeObject(into: &facts)
        for (required, bit) in Self.requiredKeys where seen & bit == 0 {
            throw CaseFactsError(required, .required)
        }
        try CaseFactsConsistency.check(facts)
        return facts
    }

    /// Reads the line's object over `facts`: keys given replace, keys not given stay.
    mutating func decodeObject(into facts: inout CaseFacts) throws(CaseFactsError) -> UInt64 {
        reader.json.skipWhitespace()
        guard let first = reader.json.peek() else { throw CaseFactsError(key: nil, problem: .emptyLine) }
        guard first == UInt8(ascii: "{") else {
            // Say "not an object" only of a well-formed JSON value; anything else is broken JSON.
            var probe = reader.json
            do {
                try probe.skipValue()
                probe.skipWhitespace()
                if !probe.isAtEnd { throw probe.error("unexpected text after the value") }
            } catch {
                throw reader.syntaxError(nil, reader.json.error("expected a JSON object"))
            }
            throw CaseFactsError(key: nil, problem: .notAnObject)
        }
        let seen = try ObjectReading.readMembers(of: &reader, table: FactKey.topLevelTable, parent: nil) {
            (key: FactKey, reader: inout FactValueReader) throws(CaseFactsError) in
            try Self.readValue(of: key, from: &reader, into: &facts)
        }
        reader.json.skipWhitespace()
        if !reader.json.isAtEnd {
            throw reader.syntaxError(nil, reader.json.error("unexpected text after the object"))
        }
        return seen
    }

    private static func readValue(
        of key: FactKey, from reader: inout FactValueReader,
        into facts: inout CaseFacts
    ) throws(CaseFactsError) {
        switch key {
        case .ref: facts.ref = try reader.readReference(key)
        case .age: facts.age = try reader.readInteger(key, in: CaseFacts.ageRange)
        case .sex: facts.sex = try reader.readVocabulary(key, as: Sex.self)
        case .nationality: facts.nationality = try reader.readNationality(key)
        case .otherNationalities: facts.otherNationalities = try reader.readCountryList(key)
        case .habitualResidence: facts.habitualResidence = try reader.readCountry(key)
        case .originArea: facts.originArea = try reader.readSubdivision(key)
        case .currentCountry: facts.currentCountry = try reader.readCountry(key)
        case .currentArea: facts.currentArea = try reader.readSubdivision(key)
        case .crossedBorder: facts.crossedBorder = try reader.readBool(key)
        case .leftHome: facts.leftHome = try reader.readBool(key)
        case .forced: facts.forced = try reader.readBool(key)
        case .causes: facts.causes = try reader.readVocabularyList(key, as: Cause.self)
        case .persecutionGrounds:
            facts.persecutionGrounds = try reader.readVocabularyList(key, as: PersecutionGround.self)
        case .persecutionAgent: facts.persecutionAgent = try reader.readVocabulary(key, as: PersecutionAgent.self)
        case .stateProtection: facts.stateProtection = try reader.readBool(key)
        case .otherNationalityProtection: facts.otherNationalityProtection = try reader.readBool(key)
        case .asylum: facts.asylum = try reader.readVocabulary(key, as: AsylumState.self)
        case .unrwa: facts.unrwa = try reader.readVocabulary(key, as: UNRWAStatus.self)
        case .nationalRights: facts.nationalRights = try reader.readBool(key)
        case .excluded: facts.excluded = try reader.readBool(key)
        case .employment: facts.employment = try NestedFactsDecoding.readEmployment(from: &reader)
        case .trafficking: facts.trafficking = try NestedFactsDecoding.readTrafficking(from: &reader)
        case .smuggled: facts.smuggled = try reader.readBool(key)
        default:
            // Nested keys are only ever looked up in their own object's table.
            throw CaseFactsError(key, .unknownKey)
        }
    }
}

/// The members loop shared by every object in the contract: keys looked up in the object's
/// table, unknown and repeated keys refused, then the value read by the caller.
enum ObjectReading {
    /// Reads `{ "key": value, … }` (the reader at `{`) and returns the keys that were given, as
    /// bits of their table indices.
    static func readMembers(
        of reader: inout FactValueReader,
        table: VocabularyTable<FactKey>,
        parent: FactKey?,
        readValue: (FactKey, inout FactValueReader) throws(CaseFactsError) -> Void
    ) throws(CaseFactsError) -> UInt64 {
        _ = reader.json.consume(UInt8(ascii: "{"))
        var seenBits: UInt64 = 0
        var lastKey = parent
        reader.json.skipWhitespace()
        if reader.json.consume(UInt8(ascii: "}")) { return seenBits }
        while true {
            reader.json.skipWhitespace()
            guard reader.json.peek() == UInt8(ascii: "\"") else {
                throw reader.syntaxError(
                    lastKey,
                    reader.json.error(
                        reader.json.isAtEnd ? "unexpected end of line" : "expected a key in double quotes"))
            }
            let name: JSONStringBytes
            do { name = try reader.json.readString() } catch { throw reader.syntaxError(lastKey, error) }
            guard let match = name.withBytes({ table.lookup($0) }) else {
                let dotted = parent.map { "\($0.rawValue)." } ?? ""
                throw CaseFactsError(key: dotted + name.string, problem: .unknownKey)
            }
            let bit: UInt64 = 1 << UInt64(match.index)
            if seenBits & bit != 0 { throw CaseFactsError(match.value, .duplicateKey) }
            seenBits |= bit
            lastKey = match.value
            reader.json.skipWhitespace()
            do { try reader.json.expect(UInt8(ascii: ":"), "':'") } catch {
                throw reader.syntaxError(match.value, error)
            }
            reader.json.skipWhitespace()
            try readValue(match.value, &reader)
            reader.json.skipWhitespace()
            if reader.json.consume(UInt8(ascii: "}")) { return seenBits }
            do { try reader.json.expect(UInt8(ascii: ","), "',' or '}'") } catch {
                throw reader.syntaxError(match.value, error)
            }
        }
    }
}
