/// Checks between fields that the contract's per-field rules cannot see.
enum CaseFactsConsistency {
    static func check(_ facts: CaseFacts) throws(CaseFactsError) {
        // The act happened before the assessment, so the age then cannot exceed the age now.
        // Letting it through would silently decide the child test of Palermo art. 3(c) on a
        // typing error; refusing it sends the line back to the person who can check the dates.
        if let ageAtAct = facts.traffickingDetails?.ageAtAct, let age = facts.age, ageAtAct > age {
            throw CaseFactsError(
                .traffickingAgeAtAct,
                .inconsistent("\(ageAtAct) is greater than age (\(age)); the act cannot postdate the assessment"))
        }
        try checkOtherNationalities(facts)
    }

    /// Contract v2 section 2: further nationalities only beside a first one that is a country,
    /// never repeating it; their protection only when there are some.
    private static func checkOtherNationalities(_ facts: CaseFacts) throws(CaseFactsError) {
        let others = facts.otherNationalities ?? []
        if !others.isEmpty {
            guard let first = facts.nationality?.country else {
                let nationality = facts.nationality.map { "nationality is \($0)" } ?? "nationality is not given"
                throw CaseFactsError(
                    .otherNationalities,
                    .inconsistent(
                        "other nationalities need a first nationality that is a country code (\(nationality))"))
            }
            if others.contains(first) {
                throw CaseFactsError(
                    .otherNationalities,
                    .inconsistent("\(first) is already the nationality; list only further nationalities"))
            }
        }
        if facts.otherNationalityProtection != nil && others.isEmpty {
            throw CaseFactsError(
                .otherNationalityProtection,
                .inconsistent(
                    "given without other_nationalities; the protection of the nationality is state_protection"))
        }
    }
}
