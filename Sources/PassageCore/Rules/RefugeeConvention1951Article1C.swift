/// 1951 Convention art. 1C — the cessation clauses, for review only. The Convention "shall
/// cease to apply to any person falling under the terms of section A if:
/// (1) He has voluntarily re-availed himself of the protection of the country of his
///     nationality; or
/// (2) Having lost his nationality, he has voluntarily re-acquired it; or
/// (3) He has acquired a new nationality, and enjoys the protection of the country of his new
///     nationality; or
/// (4) He has voluntarily re-established himself in the country which he left or outside which
///     he remained owing to fear of persecution; …"
///
/// A recognised refugee or a holder of temporary protection who is back in a country of
/// nationality (or, without one, of former habitual residence) is no longer outside it, so no
/// refugee definition is met; but whether the status has ceased — voluntarily, on the
/// authority's decision — or the return was forced is for a person to decide. The classifier
/// does not place the person in the category and asks for review (contract v2 section 3.3 step 1).
enum RefugeeConvention1951Article1C {
    /// Note `cessation-review`: a status held, and the holder is not outside.
    static func needsCessationReview(_ facts: CaseFacts, outside: Bool?) -> Bool {
        guard outside == false else { return false }
        return facts.asylumState == .recognized || facts.asylumState == .temporaryProtection
    }
}
