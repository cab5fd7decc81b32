/// Checks between fields that the contract's per-field rules cannot see.
enum CaseFactsConsistency {
    static func check(_ facts: CaseFacts) throws(CaseFactsError) {
        // The act happened before the assessment, so the age then cannot exceed the age now.
        // Letting it through would silently decide the child test of Palermo art. 3(c) on a
        // typing error; refusing it sends the line back to the person who can check the dates.
        if let ageAtAct = facts.traffickingDetails?.ageAtAct, let age = facts.age, ageAtAct > age {
            throw CaseFactsError(.traffickingAgeAtAct,
                                 .inconsistent("\(ageAtAct) is greater than age (\(age)); the act cannot postdate the assessment"))
        }
    }
}
