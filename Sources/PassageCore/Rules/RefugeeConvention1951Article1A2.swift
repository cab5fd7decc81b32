/// 1951 Convention relating to the Status of Refugees, article 1A(2): a refugee is a person who,
/// "owing to well-founded fear of being persecuted for reasons of race, religion, nationality,
/// membership of a particular social group or political opinion, is outside the country of his
/// nationality and is unable or, owing to such fear, is unwilling to avail himself of the
/// protection of that country; or who, not having a nationality and being outside the country of
/// his former habitual residence as a result of such events, is unable or, owing to such fear, is
/// unwilling to return to it."
///
/// Being outside is checked once for all definitions by `InternationalProtection`.
enum RefugeeConvention1951Article1A2 {
    static func isMet(by facts: CaseFacts) -> Bool {
        // "fear of being persecuted"
        let feared = facts.has(.persecution)
        // "for reasons of race, religion, nationality, membership of a particular social group
        // or political opinion"
        let forAConventionReason = !(facts.persecutionGrounds ?? []).isEmpty
        // "unable or … unwilling to avail himself of the protection of that country": only a
        // recorded `state_protection: true` defeats it; unknown does not.
        let withoutProtection = facts.stateProtection != true
        return feared && forAConventionReason && withoutProtection
    }
}
