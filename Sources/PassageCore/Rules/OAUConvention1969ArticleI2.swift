/// OAU Convention Governing the Specific Aspects of Refugee Problems in Africa (1969),
/// article I(2): "The term 'refugee' shall also apply to every person who, owing to external
/// aggression, occupation, foreign domination or events seriously disturbing public order in
/// either part or the whole of his country of origin or nationality, is compelled to leave his
/// place of habitual residence in order to seek refuge in another place outside his country of
/// origin or nationality."
///
/// Applied only where the country the person is in applies the Convention (a jurisdiction list
/// kept as data in `Jurisdictions`).
enum OAUConvention1969ArticleI2 {
    /// "external aggression, occupation, foreign domination or events seriously disturbing
    /// public order"
    static let causes: [Cause] = [.externalAggression, .occupation, .foreignDomination, .publicOrderDisturbance]

    static func isMet(by facts: CaseFacts, in jurisdictions: Jurisdictions) -> Bool {
        guard jurisdictions.appliesOAU1969(in: facts.currentCountry) else { return false }
        // "is compelled to leave"
        let compelled = facts.forced == true
        return compelled && causes.contains(where: facts.has)
    }
}
