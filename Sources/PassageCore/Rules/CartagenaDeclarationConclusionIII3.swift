/// Cartagena Declaration on Refugees (1984), conclusion III(3): the refugee definition recommended
/// for the region includes, besides the 1951 Convention's, "persons who have fled their country
/// because their lives, safety or freedom have been threatened by generalized violence, foreign
/// aggression, internal conflicts, massive violation of human rights or other circumstances which
/// have seriously disturbed public order."
///
/// Applied only where the country the person is in applies it (jurisdiction list in
/// `Jurisdictions`). The contract adds `armed_conflict` beside internal conflicts.
enum CartagenaDeclarationConclusionIII3 {
    /// "generalized violence, foreign aggression, internal conflicts, massive violation of human
    /// rights or other circumstances which have seriously disturbed public order"
    static let causes: [Cause] = [
        .generalizedViolence, .externalAggression, .internalConflict, .armedConflict,
        .humanRightsViolations, .publicOrderDisturbance,
    ]

    static func isMet(by facts: CaseFacts, in jurisdictions: Jurisdictions) -> Bool {
        guard jurisdictions.appliesCartagena1984(in: facts.currentCountry) else { return false }
        // "have fled"
        let fled = facts.forced == true
        return fled && causes.contains(where: facts.has)
    }
}
