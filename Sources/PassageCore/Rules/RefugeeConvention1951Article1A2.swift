/// 1951 Convention relating to the Status of Refugees, article 1A(2), both paragraphs.
///
/// First paragraph: a refugee is a person who, "owing to well-founded fear of being persecuted
/// for reasons of race, religion, nationality, membership of a particular social group or
/// political opinion, is outside the country of his nationality and is unable or, owing to such
/// fear, is unwilling to avail himself of the protection of that country; or who, not having a
/// nationality and being outside the country of his former habitual residence as a result of
/// such events, is unable or, owing to such fear, is unwilling to return to it."
///
/// Second paragraph: "In the case of a person who has more than one nationality, the term 'the
/// country of his nationality' shall mean each of the countries of which he is a national, and a
/// person shall not be deemed to be lacking the protection of the country of his nationality if,
/// without any valid reason based on well-founded fear, he has not availed himself of the
/// protection of one of the countries of which he is a national."
///
/// Being outside (each country of nationality) is checked once for all definitions by `Places`
/// and `InternationalProtection`. The first paragraph's test also yields to art. 1D's first
/// paragraph (`RefugeeConvention1951Article1D`): a person receiving UNRWA's protection or
/// assistance is not covered by the Convention while that lasts.
enum RefugeeConvention1951Article1A2 {
    /// First paragraph.
    static func isMet(by facts: CaseFacts) -> Bool {
        // "fear of being persecuted"
        let feared = facts.has(.persecution)
        // "for reasons of race, religion, nationality, membership of a particular social group
        // or political opinion"
        let forAConventionReason = !(facts.persecutionGrounds ?? []).isEmpty
        // "unable or … unwilling to avail himself of the protection of that country": only a
        // recorded `state_protection: true` defeats it; unknown does not (v1's reading, kept).
        let withoutProtection = facts.stateProtection != true
        // Art. 1D first paragraph: "This Convention shall not apply to persons who are at present
        // receiving from organs or agencies of the United Nations other than [UNHCR] protection
        // or assistance."
        let notUnderUNRWA = facts.unrwaState != .receiving
        return feared && forAConventionReason && withoutProtection && notUnderUNRWA
    }

    /// The answer of the second paragraph for a person who meets a definition.
    enum SeveralNationalities: Equatable {
        /// One nationality only, or the protection of every other one is known to be lacking.
        case lackingProtection
        /// Another nationality's protection is available and nothing justifies not using it:
        /// "not deemed to be lacking the protection".
        case protectedByAnotherNationality
        /// Not recorded: the definition is not supported, and a person must ask.
        case unknown
    }

    /// The proviso of the second paragraph, which the contract applies to every declaratory
    /// basis (OAU art. I(3) says the same; Cartagena contains "the elements of the 1951
    /// Convention"), and to no status path: a pending claim stays a claim.
    static func severalNationalities(_ facts: CaseFacts) -> SeveralNationalities {
        guard let others = facts.otherNationalities, !others.isEmpty else { return .lackingProtection }
        switch facts.otherNationalityProtection {
        case false?: return .lackingProtection
        case true?: return .protectedByAnotherNationality
        case nil: return .unknown
        }
    }
}
