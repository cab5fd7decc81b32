/// 1951 Convention art. 1E: "This Convention shall not apply to a person who is recognized by
/// the competent authorities of the country in which he has taken residence as having the rights
/// and obligations which are attached to the possession of the nationality of that country."
///
/// Handled like art. 1F (contract v2 section 3.3 step 2): it applies to every path — status,
/// claim and definitions, the regional ones included (a judgement recorded in
/// Docs/classification.md) — keeps the person out of `refugee_asylum` with note
/// `national-rights-1E`, and sends the case to review, because applying an exclusion clause is
/// for a person to decide (UNHCR Note on the Interpretation of Article 1E, 2009).
enum RefugeeConvention1951Article1E {
    static func applies(to facts: CaseFacts) -> Bool {
        facts.nationalRights == true
    }
}
