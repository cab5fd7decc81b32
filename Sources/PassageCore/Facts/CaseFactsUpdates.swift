extension CaseFacts {
    /// These facts with `key=value` updates applied (the console's `CASE SET`): keys are the
    /// contract's, dotted for nested facts (`employment.skill_level=2`) and case-insensitive;
    /// lists are comma-separated (`causes=persecution,armed_conflict`,
    /// `other_nationalities=IR,TR`; an empty value is an empty list); booleans are `true`/`false`; `null` clears a field back to unknown — except
    /// `employment=null` and `trafficking=null`, which record "none", as JSON `null` does.
    /// `employment` and `trafficking` also take a whole JSON object. Values are checked exactly
    /// as in `decode`, and errors name the key. A key given twice in one update is refused.
    public func applying(updates: [(dottedKey: String, rawValue: String)]) throws(CaseFactsError) -> CaseFacts {
        var facts = self
        var given = Set<FactKey>()
        for (dottedKey, rawValue) in updates {
            guard let key = FactKey(rawValue: dottedKey.lowercased()) else {
                throw CaseFactsError(key: dottedKey, problem: .unknownKey)
            }
            guard given.insert(key).inserted else { throw CaseFactsError(key, .duplicateKey) }
            try FactUpdate(key: key, text: rawValue).apply(to: &facts)
        }
        try CaseFactsConsistency.check(facts)
        return facts
    }
}

/// One `key=value` update: the text parsed by the field's type.
private struct FactUpdate {
    let key: FactKey
    let text: String

    var clears: Bool { text == "null" }

    func apply(to facts: inout CaseFacts) throws(CaseFactsError) {
        switch key {
        case .ref:
            if clears { throw CaseFactsError(key, .required) }
            var bytes = Array(text.utf8)
            facts.ref = try bytes.withUnsafeMutableBufferPointer { buffer throws(CaseFactsError) in
                try ReferenceRules.validated(UnsafeBufferPointer(buffer), key: key)
            }
        case .currentCountry:
            if clears { throw CaseFactsError(key, .required) }
            facts.currentCountry = try country()
        case .age: facts.age = clears ? nil : try integer(in: CaseFacts.ageRange)
        case .sex: facts.sex = clears ? nil : try vocabulary(Sex.self)
        case .nationality:
            if clears {
                facts.nationality = nil
                return
            }
            guard let nationality = Nationality(text) else { throw CaseFactsError(key, .notANationality(text)) }
            facts.nationality = nationality
        case .otherNationalities: facts.otherNationalities = clears ? nil : try countryList()
        case .habitualResidence: facts.habitualResidence = clears ? nil : try country()
        case .originArea: facts.originArea = clears ? nil : try subdivision()
        case .currentArea: facts.currentArea = clears ? nil : try subdivision()
        case .crossedBorder: facts.crossedBorder = clears ? nil : try bool()
        case .leftHome: facts.leftHome = clears ? nil : try bool()
        case .forced: facts.forced = clears ? nil : try bool()
        case .causes: facts.causes = clears ? nil : try list(Cause.self)
        case .persecutionGrounds: facts.persecutionGrounds = clears ? nil : try list(PersecutionGround.self)
        case .persecutionAgent: facts.persecutionAgent = clears ? nil : try vocabulary(PersecutionAgent.self)
        case .stateProtection: facts.stateProtection = clears ? nil : try bool()
        case .otherNationalityProtection: facts.otherNationalityProtection = clears ? nil : try bool()
        case .asylum: facts.asylum = clears ? nil : try vocabulary(AsylumState.self)
        case .unrwa: facts.unrwa = clears ? nil : try vocabulary(UNRWAStatus.self)
        case .nationalRights: facts.nationalRights = clears ? nil : try bool()
        case .excluded: facts.excluded = clears ? nil : try bool()
        case .smuggled: facts.smuggled = clears ? nil : try bool()
        case .employment: facts.employment = try nestedObject(NestedFactsDecoding.readEmployment)
        case .trafficking: facts.trafficking = try nestedObject(NestedFactsDecoding.readTrafficking)
        case .employmentStatus, .employmentSkillLevel, .employmentAuthorized, .employmentSponsored, .employmentKind,
            .employmentCountry, .employmentCapacity, .employmentAdmittedToReside:
            var employment = facts.employmentDetails ?? Employment()
            try applyEmployment(to: &employment)
            facts.employment = .value(employment)
        case .traffickingActs, .traffickingMeans, .traffickingPurposes, .traffickingAgeAtAct:
            var trafficking = facts.traffickingDetails ?? Trafficking()
            try applyTrafficking(to: &trafficking)
            facts.trafficking = .value(trafficking)
        }
    }

    private func applyEmployment(to employment: inout Employment) throws(CaseFactsError) {
        switch key {
        case .employmentStatus: employment.status = clears ? nil : try vocabulary(EmploymentStatus.self)
        case .employmentSkillLevel: employment.skillLevel = clears ? nil : try integer(in: Employment.skillLevels)
        case .employmentAuthorized: employment.authorized = clears ? nil : try bool()
        case .employmentSponsored: employment.sponsored = clears ? nil : try bool()
        case .employmentKind: employment.kind = clears ? nil : try vocabulary(EmploymentKind.self)
        case .employmentCountry: employment.country = clears ? nil : try country()
        case .employmentCapacity: employment.capacity = clears ? nil : try vocabulary(EmploymentCapacity.self)
        case .employmentAdmittedToReside: employment.admittedToReside = clears ? nil : try bool()
        default: throw CaseFactsError(key, .unknownKey)
        }
    }

    private func applyTrafficking(to trafficking: inout Trafficking) throws(CaseFactsError) {
        switch key {
        case .traffickingActs: trafficking.acts = clears ? nil : try list(TraffickingAct.self)
        case .traffickingMeans: trafficking.means = clears ? nil : try list(TraffickingMeans.self)
        case .traffickingPurposes: trafficking.purposes = clears ? nil : try list(TraffickingPurpose.self)
        case .traffickingAgeAtAct: trafficking.ageAtAct = clears ? nil : try integer(in: CaseFacts.ageRange)
        default: throw CaseFactsError(key, .unknownKey)
        }
    }

    // MARK: value syntax

    private func bool() throws(CaseFactsError) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw CaseFactsError(key, .wrongType(expected: "true or false", found: CaseFactsError.shown(text)))
        }
    }

    private func integer(in range: ClosedRange<Int>) throws(CaseFactsError) -> Int {
        let isDigits = !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let isNegative =
            text.hasPrefix("-") && text.count > 1
            && text.utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard isDigits || isNegative else {
            throw CaseFactsError(key, .wrongType(expected: "an integer", found: CaseFactsError.shown(text)))
        }
        guard let value = Int(text), range.contains(value) else {
            throw CaseFactsError(key, .outOfRange(value: CaseFactsError.shown(text, quoted: false), range: range))
        }
        return value
    }

    private func vocabulary<V: FactVocabulary>(_ type: V.Type) throws(CaseFactsError) -> V {
        guard let match = V.vocabulary.lookup(text) else {
            throw CaseFactsError(key, .notInVocabulary(value: text, allowed: V.vocabulary.ids))
        }
        return match.value
    }

    /// Comma-separated ids; spaces around an id are ignored.
    private func list<V: FactVocabulary>(_ type: V.Type) throws(CaseFactsError) -> [V] {
        guard !text.allSatisfy({ $0 == " " }) else { return [] }
        var values: [V] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let id = String(part.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            guard let match = V.vocabulary.lookup(id) else {
                throw CaseFactsError(key, .notInVocabulary(value: id, allowed: V.vocabulary.ids))
            }
            if values.contains(match.value) { throw CaseFactsError(key, .repeatedValue(id)) }
            values.append(match.value)
        }
        return values
    }

    private func country() throws(CaseFactsError) -> CountryCode {
        guard let code = CountryCode(text) else { throw CaseFactsError(key, .notACountryCode(text)) }
        return code
    }

    /// Comma-separated country codes (`IR,TR`); spaces around a code are ignored.
    private func countryList() throws(CaseFactsError) -> [CountryCode] {
        guard !text.allSatisfy({ $0 == " " }) else { return [] }
        var codes: [CountryCode] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let code = String(part.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            guard let country = CountryCode(code) else { throw CaseFactsError(key, .notACountryCode(code)) }
            if codes.contains(country) { throw CaseFactsError(key, .repeatedValue(code)) }
            codes.append(country)
        }
        return codes
    }

    private func subdivision() throws(CaseFactsError) -> SubdivisionCode {
        guard let code = SubdivisionCode(text) else { throw CaseFactsError(key, .notASubdivisionCode(text)) }
        return code
    }

    /// `null`, or a whole JSON object for `employment` / `trafficking`.
    private func nestedObject<Details>(
        _ read: (inout FactValueReader) throws(CaseFactsError) -> Nullable<Details>
    ) throws(CaseFactsError) -> Nullable<Details> {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(CaseFactsError) in
            var reader = FactValueReader(buffer)
            reader.json.skipWhitespace()
            let kind = reader.json.kindOfNextValue()
            guard kind == .null || kind == .object else {
                throw CaseFactsError(
                    key,
                    .wrongType(
                        expected: "null or a JSON object (or set \(key.rawValue).<field>=…)",
                        found: CaseFactsError.shown(text)))
            }
            let value = try read(&reader)
            reader.json.skipWhitespace()
            guard reader.json.isAtEnd else {
                throw reader.syntaxError(key, reader.json.error("unexpected text after the value"))
            }
            return value
        }
    }
}
