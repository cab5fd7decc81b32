/// The changes of the case-facts contract from version 1 to version 2 (case-facts.md Part B),
/// used to explain to an operator why stored cases changed category when they were classified
/// again under the new rules. Only the changes that can move a result are listed; C9 (version
/// string and escaping) changes no result.
public enum ContractChange: String, CaseIterable, Sendable, Hashable, Comparable {
    /// C1: the countries decide where the person is; `crossed_border` only fills a gap.
    case places = "C1"
    /// C2: OAU art. I(2) reaches armed conflict and generalized violence.
    case oauConflict = "C2"
    /// C3: 1951 arts. 1D, 1E and the several-nationalities proviso.
    case article1D1EAndOtherNationalities = "C3"
    /// C4: ICRMW art. 3, all six paragraphs.
    case icrmwArticle3 = "C4"
    /// C5: frontier and itinerant workers assessed at home; the State of employment.
    case stateOfEmployment = "C5"
    /// C6: EU temporary protection.
    case temporaryProtection = "C6"
    /// C7: `foreign_domination` counts for IDPs.
    case foreignDominationForIDPs = "C7"
    /// C8: a claim with no known nationality or residence presents the person as outside.
    case claimPresumesOutside = "C8"

    public var title: String {
        switch self {
        case .places: "where the person is: the countries decide (3.1)"
        case .oauConflict: "OAU art. I(2): armed conflict and generalized violence"
        case .article1D1EAndOtherNationalities: "1951 arts. 1D, 1E and several nationalities"
        case .icrmwArticle3: "ICRMW art. 3 exclusions"
        case .stateOfEmployment: "frontier and itinerant workers, State of employment"
        case .temporaryProtection: "EU temporary protection"
        case .foreignDominationForIDPs: "foreign domination for IDPs"
        case .claimPresumesOutside: "a claim presumes the person outside"
        }
    }

    public static func < (lhs: ContractChange, rhs: ContractChange) -> Bool {
        lhs.rawValue.count != rhs.rawValue.count ? lhs.rawValue.count < rhs.rawValue.count : lhs.rawValue < rhs.rawValue
    }

    /// The changes that explain why `facts`, once in `oldCategories`, are now classified as
    /// `new`. Each change is named by the trace it leaves: a note or basis that only version 2
    /// gives, or a category gained on facts that only version 2 reads that way. A change in
    /// category that none of those explains can only come from the new reading of where the
    /// person is (C1), the one change that moves results without a code of its own (a foreign
    /// resident who becomes an IDP where they live, a returnee no longer "outside").
    public static func explaining(oldCategories: [String], new: Classification, facts: CaseFacts) -> [ContractChange] {
        let notes = Set(new.notes.map(\.rawValue))
        let bases = Set(new.findings.flatMap(\.basis).map(\.rawValue))
        let gained = Set(new.categories.map(\.rawValue)).subtracting(oldCategories)
        var changes = Set<ContractChange>()
        if !notes.isDisjoint(with: ["outside-without-crossing", "returned-to-country", "cessation-review"]) {
            changes.insert(.places)
        }
        if bases.contains("oau-1969-I2"), !facts.hasAny(of: version1OAUCauses) {
            changes.insert(.oauConflict)
        }
        if !bases.isDisjoint(with: ["1951-convention-1D", "unrwa-mandate"])
            || !notes.isDisjoint(with: ["national-rights-1E", "other-nationality-protection-unknown"])
        {
            changes.insert(.article1D1EAndOtherNationalities)
        }
        if notes.contains(where: { $0.hasPrefix("icrmw-3") }) {
            changes.insert(.icrmwArticle3)
        }
        if gained.contains(MovementCategory.migrantWorker.rawValue),
            let employment = facts.employmentDetails,
            employment.country != nil || employment.kind == .frontier || employment.kind == .itinerant
        {
            changes.insert(.stateOfEmployment)
        }
        if bases.contains("temporary-protection") {
            changes.insert(.temporaryProtection)
        }
        if gained.contains(MovementCategory.idp.rawValue), facts.has(.foreignDomination),
            !facts.hasAny(of: version1ConflictCauses)
        {
            changes.insert(.foreignDominationForIDPs)
        }
        if notes.contains("outside-presumed-from-claim") {
            changes.insert(.claimPresumesOutside)
        }
        let categoryMoved = Set(oldCategories) != Set(new.categories.map(\.rawValue))
        if changes.isEmpty, categoryMoved {
            changes.insert(.places)
        }
        return changes.sorted()
    }

    /// The OAU causes of version 1 (public-order events without armed conflict or violence).
    static let version1OAUCauses: [Cause] = [
        .externalAggression, .occupation, .foreignDomination, .publicOrderDisturbance,
    ]
    /// The IDP `conflict` group of version 1 (without `foreign_domination`).
    static let version1ConflictCauses: [Cause] = [
        .armedConflict, .internalConflict, .generalizedViolence, .humanRightsViolations, .persecution,
        .publicOrderDisturbance, .externalAggression, .occupation,
    ]
}

extension CaseFacts {
    /// Whether the person has at least one of `causes`.
    func hasAny(of causes: [Cause]) -> Bool { causes.contains { has($0) } }
}
