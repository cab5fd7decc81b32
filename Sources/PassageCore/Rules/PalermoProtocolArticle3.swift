/// **trafficked** — Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially
/// Women and Children (Palermo, 2000), article 3.
///
/// (a) "Trafficking in persons" shall mean the recruitment, transportation, transfer, harbouring
///     or receipt of persons [act], by means of the threat or use of force or other forms of
///     coercion, of abduction, of fraud, of deception, of the abuse of power or of a position of
///     vulnerability or of the giving or receiving of payments or benefits [means], for the
///     purpose of exploitation [purpose].
/// (b) The consent of a victim to the intended exploitation shall be irrelevant where any of the
///     means set forth in subparagraph (a) have been used.
/// (c) The recruitment, transportation, transfer, harbouring or receipt of a child for the
///     purpose of exploitation shall be considered "trafficking in persons" even if this does not
///     involve any of the means set forth in subparagraph (a).
/// (d) "Child" shall mean any person under eighteen years of age.
///
/// Nothing here asks about a border: trafficking can be wholly domestic. Nothing here looks at
/// `smuggled` either: smuggling (a consensual service that ends on arrival) is not trafficking.
/// There is no consent field, because once a means is present consent is irrelevant (3(b)).
enum PalermoProtocolArticle3 {
    enum Assessment: Equatable {
        case trafficked(Classification.Finding)
        /// Act and purpose, but an adult (or unknown age) without means: a person must look.
        case meansMissingAdult
        case notMet
    }

    /// 3(d): under eighteen.
    static let adulthood = 18

    static func assess(_ facts: CaseFacts) -> Assessment {
        guard let trafficking = facts.traffickingDetails else { return .notMet }
        let hasAct = !(trafficking.acts ?? []).isEmpty
        let hasMeans = !(trafficking.means ?? []).isEmpty
        let hasPurpose = !(trafficking.purposes ?? []).isEmpty
        guard hasAct && hasPurpose else { return .notMet }

        // The child test looks at the age when the act happened; an unknown age counts as adult,
        // so that the stricter adult test (with means) is the one applied without evidence.
        if let ageAtAct = trafficking.ageAtAct ?? facts.age, ageAtAct < adulthood {
            return .trafficked(.init(.trafficked(.child), basis: [.palermo3c]))  // art. 3(c)
        }
        if hasMeans {
            return .trafficked(.init(.trafficked(.adult), basis: [.palermo3a]))  // art. 3(a)
        }
        return .meansMissingAdult
    }
}
