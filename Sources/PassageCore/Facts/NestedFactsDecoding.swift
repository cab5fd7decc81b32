/// The two nested objects of the contract, `employment` and `trafficking`; each may be `null`.
enum NestedFactsDecoding {
    static func readEmployment(from reader: inout FactValueReader) throws(CaseFactsError) -> Nullable<Employment> {
        if try readNull(.employment, from: &reader) { return .null }
        var employment = Employment()
        _ = try ObjectReading.readMembers(of: &reader, table: FactKey.employmentTable, parent: .employment) {
            (key: FactKey, reader: inout FactValueReader) throws(CaseFactsError) in
            switch key {
            case .employmentStatus: employment.status = try reader.readVocabulary(key, as: EmploymentStatus.self)
            case .employmentSkillLevel: employment.skillLevel = try reader.readInteger(key, in: Employment.skillLevels)
            case .employmentAuthorized: employment.authorized = try reader.readBool(key)
            case .employmentSponsored: employment.sponsored = try reader.readBool(key)
            case .employmentKind: employment.kind = try reader.readVocabulary(key, as: EmploymentKind.self)
            case .employmentCountry: employment.country = try reader.readCountry(key)
            case .employmentCapacity: employment.capacity = try reader.readVocabulary(key, as: EmploymentCapacity.self)
            case .employmentAdmittedToReside: employment.admittedToReside = try reader.readBool(key)
            default: throw CaseFactsError(key, .unknownKey)
            }
        }
        return .value(employment)
    }

    static func readTrafficking(from reader: inout FactValueReader) throws(CaseFactsError) -> Nullable<Trafficking> {
        if try readNull(.trafficking, from: &reader) { return .null }
        var trafficking = Trafficking()
        _ = try ObjectReading.readMembers(of: &reader, table: FactKey.traffickingTable, parent: .trafficking) {
            (key: FactKey, reader: inout FactValueReader) throws(CaseFactsError) in
            switch key {
            case .traffickingActs: trafficking.acts = try reader.readVocabularyList(key, as: TraffickingAct.self)
            case .traffickingMeans: trafficking.means = try reader.readVocabularyList(key, as: TraffickingMeans.self)
            case .traffickingPurposes:
                trafficking.purposes = try reader.readVocabularyList(key, as: TraffickingPurpose.self)
            case .traffickingAgeAtAct: trafficking.ageAtAct = try reader.readInteger(key, in: CaseFacts.ageRange)
            default: throw CaseFactsError(key, .unknownKey)
            }
        }
        return .value(trafficking)
    }

    /// Consumes `null` and says so; otherwise insists on an object.
    private static func readNull(_ key: FactKey, from reader: inout FactValueReader) throws(CaseFactsError) -> Bool {
        if reader.json.kindOfNextValue() == .null {
            do { try reader.json.readNull() } catch { throw reader.syntaxError(key, error) }
            return true
        }
        try reader.requireKind(.object, key, expected: "an object or null")
        return false
    }
}
