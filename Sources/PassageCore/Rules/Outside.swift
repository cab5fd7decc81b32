/// "Outside" (contract section 3): whether the person is outside their country — the threshold
/// between the international categories (refugee, migrant worker) and internal displacement.
///
/// 1951 Convention art. 1A(2) speaks of being "outside the country of his nationality" or, for a
/// person "not having a nationality", "outside the country of his former habitual residence";
/// the Guiding Principles speak of persons "who have not crossed an internationally recognized
/// State border". The contract turns this into an order of evidence:
enum Outside {
    /// true (outside), false (inside) or nil (unknown: no rule needing it applies, and
    /// `crossed_border` is listed in `missing`).
    static func determine(for facts: CaseFacts) -> Bool? {
        // 1. What the caseworker recorded about the border itself.
        if let crossedBorder = facts.crossedBorder {
            return crossedBorder
        }
        // 2. Otherwise, being somewhere other than the country of nationality.
        if let nationality = facts.nationality?.country {
            return facts.currentCountry != nationality
        }
        // 3. Otherwise (stateless, unknown or unrecorded nationality), somewhere other than the
        //    country of (former) habitual residence.
        if let habitualResidence = facts.habitualResidence {
            return facts.currentCountry != habitualResidence
        }
        return nil
    }
}
