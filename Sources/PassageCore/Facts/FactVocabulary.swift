/// An enumeration whose raw values are the contract's fixed ids (case-facts.md section 2).
/// Conforming types are read from JSON and from `key=value` updates by the same table.
protocol FactVocabulary: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    static var vocabulary: VocabularyTable<Self> { get }
}

/// `sex`.
public enum Sex: String, CaseIterable, Sendable, Hashable {
    case female, male, other, unknown
}

/// `causes`: why the person left, or cannot return.
public enum Cause: String, CaseIterable, Sendable, Hashable {
    case persecution
    case armedConflict = "armed_conflict"
    case internalConflict = "internal_conflict"
    case generalizedViolence = "generalized_violence"
    case humanRightsViolations = "human_rights_violations"
    case externalAggression = "external_aggression"
    case occupation
    case foreignDomination = "foreign_domination"
    case publicOrderDisturbance = "public_order_disturbance"
    case naturalDisaster = "natural_disaster"
    case humanMadeDisaster = "human_made_disaster"
    case foodInsecurity = "food_insecurity"
    case work, family, study, other
}

/// `persecution_grounds`: the five grounds of the 1951 Convention art. 1A(2).
public enum PersecutionGround: String, CaseIterable, Sendable, Hashable {
    case race, religion, nationality
    case socialGroup = "social_group"
    case politicalOpinion = "political_opinion"
}

/// `persecution_agent`.
public enum PersecutionAgent: String, CaseIterable, Sendable, Hashable {
    case state
    case nonState = "non_state"
}

/// `asylum`: the state of any claim to international protection. `temporary_protection` (v2):
/// temporary protection under Council Directive 2001/55/EC or a national scheme of that kind.
public enum AsylumState: String, CaseIterable, Sendable, Hashable {
    case none, intends, applied, recognized, rejected
    case temporaryProtection = "temporary_protection"

    /// A claim lodged or intended, or a status held (contract v2 section 3.3): the person's own
    /// statement, to the current country, that they are outside their own.
    public var isClaim: Bool {
        switch self {
        case .intends, .applied, .recognized, .temporaryProtection: return true
        case .none, .rejected: return false
        }
    }
}

/// `unrwa` (v2): Palestine refugee within UNRWA's mandate (1951 Convention art. 1D). Absent
/// counts as `none`.
public enum UNRWAStatus: String, CaseIterable, Sendable, Hashable {
    case none
    /// Receives UNRWA's protection or assistance now, or could go back to its area and receive it.
    case receiving
    /// That protection or assistance has ceased for any reason (art. 1D second paragraph).
    case ceased
}

/// `employment.status` (ICRMW art. 2(1): "is to be engaged, is engaged or has been engaged").
public enum EmploymentStatus: String, CaseIterable, Sendable, Hashable {
    case seeking, engaged
    case formerlyEngaged = "formerly_engaged"
}

/// `employment.kind`: the ICRMW art. 2(2) type of migrant worker.
public enum EmploymentKind: String, CaseIterable, Sendable, Hashable {
    case frontier, seasonal, seafarer, offshore, itinerant
    case projectTied = "project_tied"
    case specifiedEmployment = "specified_employment"
    case selfEmployed = "self_employed"
    case general
}

/// `employment.capacity` (v2): the capacity in which the person is in the State of employment,
/// where ICRMW art. 3 turns on it.
public enum EmploymentCapacity: String, CaseIterable, Sendable, Hashable {
    case worker, student, trainee, investor
    case officialFunctions = "official_functions"
    case cooperationProgramme = "cooperation_programme"
}

/// `trafficking.acts` (Palermo Protocol art. 3(a), the "action" element).
public enum TraffickingAct: String, CaseIterable, Sendable, Hashable {
    case recruitment, transportation, transfer, harbouring, receipt
}

/// `trafficking.means` (Palermo Protocol art. 3(a), the "means" element).
public enum TraffickingMeans: String, CaseIterable, Sendable, Hashable {
    case threat, force, coercion, abduction, fraud, deception
    case abuseOfPower = "abuse_of_power"
    case abuseOfVulnerability = "abuse_of_vulnerability"
    case payments
}

/// `trafficking.purposes` (Palermo Protocol art. 3(a), the "purpose of exploitation" element).
public enum TraffickingPurpose: String, CaseIterable, Sendable, Hashable {
    case sexualExploitation = "sexual_exploitation"
    case forcedLabour = "forced_labour"
    case slavery, servitude
    case organRemoval = "organ_removal"
    case otherExploitation = "other_exploitation"
}

// Each table is built once, on first use.
extension Sex: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: Sex.self) }
extension Cause: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: Cause.self) }
extension PersecutionGround: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: PersecutionGround.self)
}
extension PersecutionAgent: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: PersecutionAgent.self)
}
extension AsylumState: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: AsylumState.self) }
extension EmploymentStatus: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: EmploymentStatus.self)
}
extension UNRWAStatus: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: UNRWAStatus.self) }
extension EmploymentCapacity: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: EmploymentCapacity.self)
}
extension EmploymentKind: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: EmploymentKind.self) }
extension TraffickingAct: FactVocabulary { static let vocabulary = VocabularyTable(allCasesOf: TraffickingAct.self) }
extension TraffickingMeans: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: TraffickingMeans.self)
}
extension TraffickingPurpose: FactVocabulary {
    static let vocabulary = VocabularyTable(allCasesOf: TraffickingPurpose.self)
}
