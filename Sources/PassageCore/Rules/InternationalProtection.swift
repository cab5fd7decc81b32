/// **refugee_asylum** — refugees and asylum seekers (contract section 3).
///
/// Only a person outside their country can be a refugee (every definition says "outside"), and
/// not one for whom there are serious reasons to apply an exclusion clause (1951 Convention
/// art. 1F: crimes against peace, war crimes, crimes against humanity, serious non-political
/// crimes, acts contrary to the purposes of the United Nations) — that is for a person to
/// decide, so the case goes to review instead.
///
/// Recognition of refugee status is declaratory (UNHCR Handbook para. 28): a person who meets a
/// definition is a refugee before any decision, so the definitions are checked whenever there is
/// no recognition or pending claim — even after a rejection.
enum InternationalProtection {
    enum Assessment: Equatable {
        case protected(Classification.Finding, note: ClassificationNote?)
        /// Outside and excluded: not in the category; note `exclusion-clause`.
        case excluded
        case notMet
    }

    static func assess(_ facts: CaseFacts, outside: Bool?, jurisdictions: Jurisdictions) -> Assessment {
        guard outside == true else { return .notMet }
        if facts.excluded == true { return .excluded }

        switch facts.asylumState {
        case .recognized:
            return .protected(.init(.refugeeAsylum(.refugee), basis: [.recognizedStatus]), note: nil)
        case .applied, .intends:
            // An asylum seeker is protected from refoulement whatever the merits of the claim.
            return .protected(.init(.refugeeAsylum(.asylumSeeker), basis: [.asylumClaim]), note: nil)
        case .none, .rejected:
            var basis: [LegalBasis] = []
            if RefugeeConvention1951Article1A2.isMet(by: facts) { basis.append(.refugeeConvention1951) }
            if OAUConvention1969ArticleI2.isMet(by: facts, in: jurisdictions) { basis.append(.oauConvention1969) }
            if CartagenaDeclarationConclusionIII3.isMet(by: facts, in: jurisdictions) { basis.append(.cartagenaDeclaration1984) }
            // A rejected claim with no definition met: not in this category.
            guard !basis.isEmpty else { return .notMet }
            let note: ClassificationNote? = facts.asylumState == .none ? .noClaimLodged : nil
            return .protected(.init(.refugeeAsylum(.refugee), basis: basis), note: note)
        }
    }
}
