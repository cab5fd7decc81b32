/// The basis codes of contract section 3: which instrument, and which part of it, puts the case
/// in its category. Within one category the codes are listed in declaration order here, which is
/// the contract's order (1951, OAU, Cartagena).
public enum LegalBasis: String, CaseIterable, Sendable, Hashable {
    /// Palermo Protocol art. 3(c): a child, no means needed.
    case palermo3c = "palermo-3c"
    /// Palermo Protocol art. 3(a): act, means and purpose.
    case palermo3a = "palermo-3a"
    /// Refugee status recognised by a State or UNHCR.
    case recognizedStatus = "recognized-status"
    /// A claim to international protection is intended or lodged.
    case asylumClaim = "asylum-claim"
    /// 1951 Convention art. 1A(2).
    case refugeeConvention1951 = "1951-convention-1A2"
    /// OAU Refugee Convention 1969 art. I(2).
    case oauConvention1969 = "oau-1969-I2"
    /// Cartagena Declaration 1984 conclusion III(3).
    case cartagenaDeclaration1984 = "cartagena-1984-III3"
    /// Guiding Principles on Internal Displacement, introduction para. 2.
    case guidingPrinciples2 = "guiding-principles-2"
    /// ICRMW art. 2(1).
    case icrmw2_1 = "icrmw-2-1"
}

/// A note explaining why a case needs a person's review (or, `no-claim-lodged`, what to do next).
/// Declared in the order the rules are written, which is the order of `notes`.
public enum ClassificationNote: String, CaseIterable, Sendable, Hashable {
    /// An adult with act and purpose but no means: not trafficking under art. 3(a) as given.
    case meansMissingAdult = "means-missing-adult"
    /// Outside the country but with serious reasons for exclusion (1951 Convention art. 1F).
    case exclusionClause = "exclusion-clause"
    /// A refugee by definition who has not asked for protection.
    case noClaimLodged = "no-claim-lodged"
}

/// A fact whose absence kept the classifier from deciding. Declared in sorted order, which is
/// the order of `missing`.
public enum MissingFact: String, CaseIterable, Sendable, Hashable, Comparable {
    case causes
    case crossedBorder = "crossed_border"
    case employment, forced
    case leftHome = "left_home"
    case trafficking

    public static func < (lhs: MissingFact, rhs: MissingFact) -> Bool { lhs.ordinal < rhs.ordinal }
}
