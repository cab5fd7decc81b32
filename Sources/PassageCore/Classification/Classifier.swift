/// Derives the movement classification from case facts (contract section 3). Pure and
/// deterministic: the same facts and jurisdictions always give the same classification.
///
/// Each rule lives in its own file under Rules/, named after the article it encodes; this type
/// only orders them by precedence and derives `review`, `notes` and `missing`.
public struct Classifier: Sendable {
    /// Recorded with every stored classification, so that history shows which rules decided.
    /// Change it whenever a rule changes.
    public static let version = "passage-classifier/2"

    public let jurisdictions: Jurisdictions

    public init(jurisdictions: Jurisdictions = .default) {
        self.jurisdictions = jurisdictions
    }

    public func classify(_ facts: CaseFacts) -> Classification {
        let places = Places.determine(for: facts)
        var findings: [Classification.Finding] = []
        // Appended rule by rule in the order of contract section 3.7, which is the order written.
        var notes: [ClassificationNote] = []
        if let note = places.note { notes.append(note) }

        // Precedence order: trafficked > refugee_asylum > idp > migrant_worker.
        switch PalermoProtocolArticle3.assess(facts) {
        case .trafficked(let finding): findings.append(finding)
        case .meansMissingAdult: notes.append(.meansMissingAdult)
        case .notMet: break
        }

        let protection = InternationalProtection.assess(facts, outside: places.outside, jurisdictions: jurisdictions)
        notes.append(contentsOf: protection.notes)
        if let finding = protection.finding { findings.append(finding) }

        if let finding = GuidingPrinciplesParagraph2.assess(facts, atHome: places.atHome) {
            findings.append(finding)
        }

        let worker = MigrantWorkersConventionArticle2.assess(
            facts, places: places,
            isRefugeeOrAsylumSeeker: protection.finding != nil)
        notes.append(contentsOf: worker.notes)
        if let finding = worker.finding { findings.append(finding) }

        // Contract section 3.6: nothing applies, a note that asks for a person, or an
        // unspecified skill level.
        let review =
            findings.isEmpty
            || notes.contains(where: \.setsReview)
            || worker.finding?.subcategory == .migrantWorker(.unspecified)
        return Classification(
            ref: facts.ref, findings: findings, regular: worker.regular, institutional: worker.institutional,
            review: review, notes: notes,
            missing: Self.missing(facts, outside: places.outside, nothingApplies: findings.isEmpty))
    }

    /// `crossed_border` whenever "outside" is unknown; and, only when nothing applies, each of the
    /// facts a caseworker could ask for next that is absent (a key given as `null` is not absent).
    static func missing(_ facts: CaseFacts, outside: Bool?, nothingApplies: Bool) -> [MissingFact] {
        var missing: [MissingFact] = []
        // Appended in sorted order (MissingFact's declaration order).
        if nothingApplies && facts.causes == nil { missing.append(.causes) }
        if outside == nil { missing.append(.crossedBorder) }
        if nothingApplies {
            if facts.employment == nil { missing.append(.employment) }
            if facts.forced == nil { missing.append(.forced) }
            if facts.leftHome == nil { missing.append(.leftHome) }
            if facts.trafficking == nil { missing.append(.trafficking) }
        }
        return missing
    }
}
