/// Where the person is (contract v2 section 3.1). The law asks two different questions, and both
/// are judged by countries:
///
/// - the refugee definitions ask whether the person is "outside the country of his nationality"
///   — with several nationalities, "each of the countries of which he is a national" — or, "not
///   having a nationality", "outside the country of his former habitual residence" (1951
///   Convention art. 1A(2); UNHCR Handbook paras. 88, 94 and 101);
/// - the Guiding Principles on Internal Displacement (para. 2) ask whether the person is still
///   within the country of the home they left: persons "who have not crossed an internationally
///   recognized State border".
///
/// `crossed_border` decides only when no country is on record; otherwise it is checked against
/// the countries, and a contradiction is noted, never silently followed.
struct Places: Equatable {
    /// Outside every country of nationality (or, without one, of habitual residence); nil when
    /// unknown: no rule needing it applies, and `crossed_border` is listed in `missing`.
    let outside: Bool?
    /// Still inside the country of the home the person left (the IDP question); nil when unknown.
    let atHome: Bool?
    /// `outside-without-crossing` or `returned-to-country` when `crossed_border` disagrees with
    /// the plain reading of the countries. Neither sets `review`: the countries are the better
    /// evidence.
    let note: ClassificationNote?

    static func determine(for facts: CaseFacts) -> Places {
        let current = facts.currentCountry
        // N: the countries of nationality, when the nationality is a country.
        let nationality = facts.nationality?.country
        // H: the home country — habitual residence when recorded, else the nationality.
        guard let home = facts.habitualResidence ?? nationality else {
            // R and H are both unknown (stateless, unknown or unrecorded nationality and no
            // habitual residence): only the record of the border can say anything.
            guard let crossed = facts.crossedBorder else { return Places(outside: nil, atHome: nil, note: nil) }
            return Places(outside: crossed, atHome: !crossed, note: nil)
        }
        // R: the countries of nationality when there are any, else the habitual residence.
        let outside: Bool
        if let nationality {
            outside = current != nationality && !(facts.otherNationalities ?? []).contains(current)
        } else {
            outside = current != home
        }
        // "At home" unless recorded as having crossed into a country that is not the person's:
        // crossing back into one's own country (a returnee) leaves a person inside it.
        let crossed = facts.crossedBorder
        let atHome = current == home && !(crossed == true && outside)
        let note: ClassificationNote?
        switch crossed {
        case false?: note = atHome ? nil : .outsideWithoutCrossing  // e.g. a child born abroad
        case true?: note = atHome ? .returnedToCountry : nil  // a returnee
        case nil: note = nil
        }
        return Places(outside: outside, atHome: atHome, note: note)
    }
}
