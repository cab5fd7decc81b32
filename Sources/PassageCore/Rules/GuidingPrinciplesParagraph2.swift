/// **idp** — Guiding Principles on Internal Displacement (1998), introduction, paragraph 2:
/// "internally displaced persons are persons or groups of persons who have been forced or obliged
/// to flee or to leave their homes or places of habitual residence, in particular as a result of
/// or in order to avoid the effects of armed conflict, situations of generalized violence,
/// violations of human rights or natural or human-made disasters, and who have not crossed an
/// internationally recognized State border."
///
/// Nationality is not an element (Kälin, *Annotations*, 2008): a foreign national displaced
/// inside the country where they habitually live is an IDP, and so is a returnee displaced inside
/// their own country; a person whose home was in another country is not an IDP where they are
/// now. `Places` answers "at home" accordingly (contract v2 section 3.1).
///
/// The report of the Mexico City workshop adds food insecurity to the reasons, and the contract
/// names the subcategory by the first of conflict, disaster and food insecurity that applies.
/// "In particular" makes the list of causes open: v2 adds foreign domination to the conflict
/// group, as it counts for the OAU Convention.
enum GuidingPrinciplesParagraph2 {
    /// Conflict and violence, whatever its form.
    static let conflictCauses: [Cause] = [
        .armedConflict, .internalConflict, .generalizedViolence, .humanRightsViolations,
        .persecution, .publicOrderDisturbance, .externalAggression, .occupation,
        .foreignDomination,
    ]
    /// "natural or human-made disasters"
    static let disasterCauses: [Cause] = [.naturalDisaster, .humanMadeDisaster]
    static let foodInsecurityCauses: [Cause] = [.foodInsecurity]

    static func assess(_ facts: CaseFacts, atHome: Bool?) -> Classification.Finding? {
        // "have not crossed an internationally recognized State border": known to be inside the
        // country of the home they left.
        guard atHome == true else { return nil }
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
