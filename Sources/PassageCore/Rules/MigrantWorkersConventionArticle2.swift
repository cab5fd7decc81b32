/// **migrant_worker** — International Convention on the Protection of the Rights of All Migrant
/// Workers and Members of Their Families (ICRMW, 1990).
///
/// Art. 2(1): "The term 'migrant worker' refers to a person who is to be engaged, is engaged or
/// has been engaged in a remunerated activity in a State of which he or she is not a national."
/// Art. 3(d): the Convention shall not apply to "refugees and stateless persons, unless such
/// application is provided for in the relevant national legislation of, or international
/// instruments in force for, the State Party concerned". The contract takes the refugee part of
/// 3(d) only: a stateless worker is still classified here (see Docs/classification.md).
/// Art. 5: "documented or in a regular situation" when authorised to enter, stay and work —
/// reported as `regular`.
enum MigrantWorkersConventionArticle2 {
    struct Outcome: Equatable {
        let finding: Classification.Finding
        /// `employment.authorized`: documented or in a regular situation (art. 5).
        let regular: Bool?
        /// `employment.sponsored`: admitted through a destination-state channel, the report's
        /// "migration institutionalized by the destination country".
        let institutional: Bool?
    }

    static func assess(_ facts: CaseFacts, outside: Bool?, isRefugeeOrAsylumSeeker: Bool) -> Outcome? {
        // "in a State of which he or she is not a national": outside, by the contract's test.
        guard outside == true else { return nil }
        // "is to be engaged, is engaged or has been engaged in a remunerated activity"
        guard let employment = facts.employmentDetails, employment.status != nil else { return nil }
        // Art. 3(d): refugees and asylum seekers are protected under their own regime.
        guard !isRefugeeOrAsylumSeeker else { return nil }

        let subcategory: MigrantWorkerSubcategory
        switch employment.skillLevel {
        case .some(3...4): subcategory = .skilled      // ISCO-08 skill levels 3 and 4
        case .some(1...2): subcategory = .unskilled    // ISCO-08 skill levels 1 and 2
        default: subcategory = .unspecified            // unknown (decoding refuses other levels): review
        }
        return Outcome(finding: .init(.migrantWorker(subcategory), basis: [.icrmw2_1]),
                       regular: employment.authorized,
                       institutional: employment.sponsored)
    }
}
