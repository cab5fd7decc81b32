/// **migrant_worker** — International Convention on the Protection of the Rights of All Migrant
/// Workers and Members of Their Families (ICRMW, 1990), arts. 1(2), 2, 5 and 6.
///
/// Art. 2(1): "The term 'migrant worker' refers to a person who is to be engaged, is engaged or
/// has been engaged in a remunerated activity in a State of which he or she is not a national."
/// Art. 2(2)(a): "The term 'frontier worker' refers to a migrant worker who retains his or her
/// habitual residence in a neighbouring State to which he or she normally returns every day or
/// at least once a week." Art. 2(2)(f): "The term 'itinerant worker' refers to a migrant worker
/// who, having his or her habitual residence in one State, has to travel to another State or
/// States for short periods, owing to the nature of his or her occupation."
/// Art. 1(2): the Convention applies "during the entire migration process of migrant workers …,
/// which comprises preparation for migration, departure, transit and the entire period of stay
/// and remunerated activity in the State of employment as well as return to the State of origin
/// or the State of habitual residence."
/// Art. 6(a): "'State of employment' means a State where the migrant worker is to be engaged, is
/// engaged or has been engaged in a remunerated activity, as the case may be."
/// Art. 5: "documented or in a regular situation" when authorised to enter, stay and work —
/// reported as `regular`.
///
/// The exclusions of art. 3 are in `MigrantWorkersConventionArticle3`; its refugee limb (3(d)) is
/// the caller's `isRefugeeOrAsylumSeeker`, which also covers pending claims and temporary
/// protection (contract v2 Part C, question 1).
enum MigrantWorkersConventionArticle2 {
    struct Outcome: Equatable {
        /// In the category, or nil (then `notes` may say which art. 3 paragraph kept the person out).
        let finding: Classification.Finding?
        /// `employment.authorized`: documented or in a regular situation (art. 5).
        let regular: Bool?
        /// `employment.sponsored`: admitted through a destination-state channel, the report's
        /// "migration institutionalized by the destination country".
        let institutional: Bool?
        /// `icrmw-3a` … `icrmw-3f`, in paragraph order.
        let notes: [ClassificationNote]

        static let notMet = Outcome(finding: nil, regular: nil, institutional: nil, notes: [])
    }

    static func assess(_ facts: CaseFacts, places: Places, isRefugeeOrAsylumSeeker: Bool) -> Outcome {
        // "is to be engaged, is engaged or has been engaged in a remunerated activity"
        guard let employment = facts.employmentDetails, employment.status != nil else { return .notMet }
        // "in a State of which he or she is not a national"
        guard isInAStateOfEmployment(facts, employment, places: places) else { return .notMet }
        // Art. 3(d), refugee limb: refugees and asylum seekers are protected under their own regime.
        guard !isRefugeeOrAsylumSeeker else { return .notMet }
        // Art. 3: "The present Convention shall not apply to: …"
        let exclusions = MigrantWorkersConventionArticle3.exclusions(facts, employment)
        guard exclusions.isEmpty else {
            return Outcome(finding: nil, regular: nil, institutional: nil, notes: exclusions)
        }

        let subcategory: MigrantWorkerSubcategory
        switch employment.skillLevel {
        case .some(3...4): subcategory = .skilled  // ISCO-08 skill levels 3 and 4
        case .some(1...2): subcategory = .unskilled  // ISCO-08 skill levels 1 and 2
        default: subcategory = .unspecified  // unknown (decoding refuses other levels): review
        }
        return Outcome(
            finding: .init(.migrantWorker(subcategory), basis: [.icrmw2_1]),
            regular: employment.authorized, institutional: employment.sponsored, notes: [])
    }

    /// The state-of-employment test (contract v2 section 3.5).
    static func isInAStateOfEmployment(_ facts: CaseFacts, _ employment: Employment, places: Places) -> Bool {
        if let stateOfEmployment = employment.country, stateOfEmployment != facts.currentCountry {
            // Art. 6(a): the State of employment is given; it must not be a country of
            // nationality (or, without one, of habitual residence). Unknown when none is on record.
            return !isReferenceCountry(stateOfEmployment, of: facts)
        }
        if employment.country == nil {
            // Art. 2(2)(a), (f): the kind itself places the work in another State, even when the
            // person is assessed at home.
            if employment.kind == .frontier || employment.kind == .itinerant { return true }
            // Art. 2(1) "has been engaged", art. 1(2) "return": a migrant worker back home.
            if employment.status == .formerlyEngaged, facts.crossedBorder == true, places.outside == false {
                return true
            }
        }
        // Otherwise the State of employment is where the person is.
        return places.outside == true
    }

    /// Whether `country` is in R (contract v2 section 3.1); true when R is unknown, so that an
    /// unknown test never admits anyone.
    private static func isReferenceCountry(_ country: CountryCode, of facts: CaseFacts) -> Bool {
        if let nationality = facts.nationality?.country {
            return country == nationality || (facts.otherNationalities ?? []).contains(country)
        }
        guard let habitualResidence = facts.habitualResidence else { return true }
        return country == habitualResidence
    }
}
