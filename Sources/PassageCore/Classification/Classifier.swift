/// Derives the movement classification from case facts (contract section 3). Pure and
/// deterministic: the same facts and jurisdictions always give the same classification.
///
/// Each rule lives in its own file under Rules/, named after the article it encodes; this type
/// only orders them by precedence and derives `review`, `notes` and `missing`.
public struct Classifier: Sendable {
    /// Recorded with every stored classification, so that history shows which rules decided.
    /// Change it whenever a rule changes.
    public static let version = "passage-classifier/1"

    public let jurisdictions: Jurisdictions

    public init(jurisdictions: Jurisdictions = .default) {
        self.jurisdictions = jurisdictions
    }

    public func classify(_ facts: CaseFacts) -> Classification {
        let outside = Outside.determine(for: facts)
        var findings: [Classification.Finding] = []
        var notes: [ClassificationNote] = []
        var review = false

        // Precedence order: trafficked > refugee_asylum > idp > migrant_worker.
        switch PalermoProtocolArticle3.assess(facts) {
        case .trafficked(let finding): findings.append(finding)
        case .meansMissingAdult:
            notes.append(.meansMissingAdult)
            review = true
        case .notMet: break
        }

        var isRefugeeOrAsylumSeeker = false
        switch InternationalProtection.assess(facts, outside: outside, jurisdictions: jurisdictions) {
        case .protected(let finding, let note):
            findings.append(finding)
            if let note { notes.append(note) }
            isRefugeeOrAsylumSeeker = true
        case .excluded:
            notes.append(.exclusionClause)
            review = true
        case .notMet: break
        }

        if let finding = GuidingPrinciplesParagraph2.assess(facts, outside: outside) {
            findings.append(finding)
        }

        var regular: Bool?
        var institutional: Bool?
        if let worker = MigrantWorkersConventionArticle2.assess(facts, outside: outside,
                                                                isRefugeeOrAsylumSeeker: isRefugeeOrAsylumSeeker) {
            findings.append(worker.finding)
            regular = worker.regular
            institutional = worker.institutional
            if worker.finding.subcategory == .migrantWorker(.unspecified) { review = true }
        }

        if findings.isEmpty { review = true }
        return Classification(ref: facts.ref, findings: findings, regular: regular, institutional: institutional,
                              review: review, notes: notes,
                              missing: Self.missing(facts, outside: outside, nothingApplies: findings.isEmpty))
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
