/// **idp** — Guiding Principles on Internal Displacement (1998), introduction, paragraph 2:
/// "internally displaced persons are persons or groups of persons who have been forced or obliged
/// to flee or to leave their homes or places of habitual residence, in particular as a result of
/// or in order to avoid the effects of armed conflict, situations of generalized violence,
/// violations of human rights or natural or human-made disasters, and who have not crossed an
/// internationally recognized State border."
///
/// The report of the Mexico City workshop adds food insecurity to the reasons, and the contract
/// names the subcategory by the first of conflict, disaster and food insecurity that applies.
enum GuidingPrinciplesParagraph2 {
    /// Conflict and violence, whatever its form.
    static let conflictCauses: [Cause] = [.armedConflict, .internalConflict, .generalizedViolence, .humanRightsViolations,
                                          .persecution, .publicOrderDisturbance, .externalAggression, .occupation]
    /// "natural or human-made disasters"
    static let disasterCauses: [Cause] = [.naturalDisaster, .humanMadeDisaster]
    static let foodInsecurityCauses: [Cause] = [.foodInsecurity]

    static func assess(_ facts: CaseFacts, outside: Bool?) -> Classification.Finding? {
        // "have not crossed an internationally recognized State border": known to be inside.
        guard outside == false else { return nil }
        // "forced or obliged to flee or to leave their homes or places of habitual residence"
        guard facts.leftHome == true, facts.forced == true else { return nil }
        // "as a result of or in order to avoid the effects of …"
        let subcategory: IDPSubcategory
        if conflictCauses.contains(where: facts.has) {
            subcategory = .conflict
        } else if disasterCauses.contains(where: facts.has) {
            subcategory = .disaster
        } else if foodInsecurityCauses.contains(where: facts.has) {
            subcategory = .foodInsecurity
        } else {
            return nil
        }
        return .init(.idp(subcategory), basis: [.guidingPrinciples2])
    }
}
