/// **refugee_asylum** — refugees and asylum seekers (contract v2 section 3.3): the assembly of
/// the category from the provisions in this folder.
///
/// The report's category is "refugees and asylum seekers compelled to leave their country due to
/// persecution or threats to their safety"; it covers everyone UNHCR counts as a refugee: people
/// recognised under any instrument, people who meet a definition although nobody has recognised
/// them yet (recognition is declaratory: UNHCR Handbook para. 28), people under temporary
/// protection, and Palestine refugees under UNRWA's mandate; and pending claims.
///
/// The steps, in the contract's order:
/// 1. where — only a person outside their country can be a refugee ("is outside the country of
///    his nationality"); a claim with no country on record presumes it, for review; a status
///    holder back home goes to cessation review (art. 1C);
/// 2. exclusion — art. 1E, then art. 1F, on every path;
/// 3. a status held or claimed — recognised, temporary protection, a pending claim;
/// 4. otherwise the definitions (1A(2), 1D second and first paragraphs, OAU, Cartagena), then
///    the several-nationalities proviso of art. 1A(2) second paragraph.
enum InternationalProtection {
    struct Assessment: Equatable {
        /// In the category, or nil.
        var finding: Classification.Finding?
        /// In the order of contract section 3.7.
        var notes: [ClassificationNote] = []

        static let notMet = Assessment(finding: nil)
    }

    static func assess(_ facts: CaseFacts, outside: Bool?, jurisdictions: Jurisdictions) -> Assessment {
        var assessment = Assessment.notMet
        let asylum = facts.asylumState

        // 1. Where.
        switch outside {
        case true?: break
        case nil where asylum.isClaim:
            // A claim lodged, or status granted, in the current country presents the person as
            // outside their own; only a person can check it.
            assessment.notes.append(.outsidePresumedFromClaim)
        default:
            if RefugeeConvention1951Article1C.needsCessationReview(facts, outside: outside) {
                assessment.notes.append(.cessationReview)
            }
            return assessment
        }

        // 2. Exclusion clauses, on every path: art. 1E, then art. 1F.
        let hasNationalRights = RefugeeConvention1951Article1E.applies(to: facts)
        let isExcluded = RefugeeConvention1951Article1F.applies(to: facts)
        if hasNationalRights { assessment.notes.append(.nationalRights1E) }
        if isExcluded { assessment.notes.append(.exclusionClause) }
        if hasNationalRights || isExcluded { return assessment }

        // 3. Status held or claimed: no definition is examined, whatever the merits.
        switch asylum {
        case .recognized:
            assessment.finding = .init(.refugeeAsylum(.refugee), basis: [.recognizedStatus])
            return assessment
        case .temporaryProtection:
            assessment.finding = .init(.refugeeAsylum(.refugee), basis: [.temporaryProtection])
            return assessment
        case .applied, .intends:
            assessment.finding = .init(.refugeeAsylum(.asylumSeeker), basis: [.asylumClaim])
            return assessment
        case .none, .rejected:
            break
        }

        // 4. The definitions, every one that is met, in the contract's order.
        var basis: [LegalBasis] = []
        if RefugeeConvention1951Article1A2.isMet(by: facts) { basis.append(.refugeeConvention1951) }
        if RefugeeConvention1951Article1D.entitlesIpsoFacto(facts) { basis.append(.refugeeConvention1951Article1D) }
        if RefugeeConvention1951Article1D.isUnderUNRWAMandate(facts) { basis.append(.unrwaMandate) }
        if OAUConvention1969ArticleI2.isMet(by: facts, in: jurisdictions) { basis.append(.oauConvention1969) }
        if CartagenaDeclarationConclusionIII3.isMet(by: facts, in: jurisdictions) {
            basis.append(.cartagenaDeclaration1984)
        }
        // 5. A rejected claim (or none) with no definition met: not in this category.
        guard !basis.isEmpty else { return assessment }

        switch RefugeeConvention1951Article1A2.severalNationalities(facts) {
        case .lackingProtection: break
        case .protectedByAnotherNationality: return assessment
        case .unknown:
            assessment.notes.append(.otherNationalityProtectionUnknown)
            return assessment
        }

        assessment.finding = .init(.refugeeAsylum(.refugee), basis: basis)
        // A refugee by definition who has not asked for protection — except under UNRWA's
        // mandate alone: there is no claim to lodge while its assistance continues.
        if asylum == .none && basis != [.unrwaMandate] { assessment.notes.append(.noClaimLodged) }
        return assessment
    }
}
