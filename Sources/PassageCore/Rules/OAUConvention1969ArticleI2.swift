/// OAU Convention Governing the Specific Aspects of Refugee Problems in Africa (1969),
/// article I(2): "The term 'refugee' shall also apply to every person who, owing to external
/// aggression, occupation, foreign domination or events seriously disturbing public order in
/// either part or the whole of his country of origin or nationality, is compelled to leave his
/// place of habitual residence in order to seek refuge in another place outside his country of
/// origin or nationality."
///
/// Article I(3): "In the case of a person who has several nationalities, the term 'a country of
/// which he is a national' shall mean each of the countries of which he is a national, and a
/// person shall not be deemed to be lacking the protection of the country of which he is a
/// national if, without any valid reason based on well-founded fear, he has not availed himself
/// of the protection of one of the countries of which he is a national." — applied by
/// `InternationalProtection` through `RefugeeConvention1951Article1A2.severalNationalities`.
///
/// Contract v2: armed conflict, internal conflict and generalized violence are "events seriously
/// disturbing public order" (UNHCR Guidelines on International Protection No. 12, 2016, on art.
/// I(2)). Human-rights violations alone are not (see Docs/classification.md).
///
/// Applied only where the country the person is in applies the Convention (a jurisdiction list
/// kept as data in `Jurisdictions`).
enum OAUConvention1969ArticleI2 {
    /// "external aggression, occupation, foreign domination or events seriously disturbing
    /// public order" — the last read to include armed conflict and generalized violence.
    static let causes: [Cause] = [
        .externalAggression, .occupation, .foreignDomination, .publicOrderDisturbance,
        .armedConflict, .internalConflict, .generalizedViolence,
    ]

    static func isMet(by facts: CaseFacts, in jurisdictions: Jurisdictions) -> Bool {
        guard jurisdictions.appliesOAU1969(in: facts.currentCountry) else { return false }
        // "is compelled to leave"
        let compelled = facts.forced == true
        return compelled && causes.contains(where: facts.has)
    }
}
