/// Every key of the case-facts contract, with nested keys in dotted form (`employment.skill_level`),
/// as used in error messages and in `key=value` updates.
public enum FactKey: String, CaseIterable, Sendable, Hashable {
    case ref, age, sex, nationality
    case otherNationalities = "other_nationalities"
    case habitualResidence = "habitual_residence"
    case originArea = "origin_area"
    case currentCountry = "current_country"
    case currentArea = "current_area"
    case crossedBorder = "crossed_border"
    case leftHome = "left_home"
    case forced, causes
    case persecutionGrounds = "persecution_grounds"
    case persecutionAgent = "persecution_agent"
    case stateProtection = "state_protection"
    case otherNationalityProtection = "other_nationality_protection"
    case asylum, unrwa
    case nationalRights = "national_rights"
    case excluded, employment, trafficking, smuggled

    case employmentStatus = "employment.status"
    case employmentSkillLevel = "employment.skill_level"
    case employmentAuthorized = "employment.authorized"
    case employmentSponsored = "employment.sponsored"
    case employmentKind = "employment.kind"
    case employmentCountry = "employment.country"
    case employmentCapacity = "employment.capacity"
    case employmentAdmittedToReside = "employment.admitted_to_reside"

    case traffickingActs = "trafficking.acts"
    case traffickingMeans = "trafficking.means"
    case traffickingPurposes = "trafficking.purposes"
    case traffickingAgeAtAct = "trafficking.age_at_act"

    /// The key as written inside its own object (`skill_level` for `employment.skill_level`).
    public var localName: Substring {
        guard let dot = rawValue.firstIndex(of: ".") else { return rawValue[...] }
        return rawValue[rawValue.index(after: dot)...]
    }

    /// Keys of the top-level object, in the contract's order (also the canonical JSON order).
    static let topLevel: [FactKey] = allCases.filter { !$0.rawValue.contains(".") }
    static let employmentKeys: [FactKey] = allCases.filter { $0.rawValue.hasPrefix("employment.") }
    static let traffickingKeys: [FactKey] = allCases.filter { $0.rawValue.hasPrefix("trafficking.") }

    static let topLevelTable = VocabularyTable(topLevel.map { (String($0.localName), $0) })
    static let employmentTable = VocabularyTable(employmentKeys.map { (String($0.localName), $0) })
    static let traffickingTable = VocabularyTable(traffickingKeys.map { (String($0.localName), $0) })
}
