/// The basis codes of contract section 3: which instrument, and which part of it, puts the case
/// in its category. Within one category the codes are listed in declaration order here, which is
/// the contract's order (section 3.7).
public enum LegalBasis: String, CaseIterable, Sendable, Hashable {
    /// Palermo Protocol art. 3(c): a child, no means needed.
    case palermo3c = "palermo-3c"
    /// Palermo Protocol art. 3(a): act, means and purpose.
    case palermo3a = "palermo-3a"
    /// Refugee status recognised by a State or UNHCR.
    case recognizedStatus = "recognized-status"
    /// (v2) Temporary protection under Directive 2001/55/EC or a national scheme of that kind.
    case temporaryProtection = "temporary-protection"
    /// A claim to international protection is intended or lodged.
    case asylumClaim = "asylum-claim"
    /// 1951 Convention art. 1A(2).
    case refugeeConvention1951 = "1951-convention-1A2"
    /// (v2) 1951 Convention art. 1D second paragraph: UNRWA's assistance has ceased, *ipso facto*.
    case refugeeConvention1951Article1D = "1951-convention-1D"
    /// (v2) 1951 Convention art. 1D first paragraph; UNGA res. 302 (IV): a Palestine refugee
    /// receiving UNRWA's protection or assistance.
    case unrwaMandate = "unrwa-mandate"
    /// OAU Refugee Convention 1969 art. I(2).
    case oauConvention1969 = "oau-1969-I2"
    /// Cartagena Declaration 1984 conclusion III(3).
    case cartagenaDeclaration1984 = "cartagena-1984-III3"
    /// Guiding Principles on Internal Displacement, introduction para. 2.
    case guidingPrinciples2 = "guiding-principles-2"
    /// ICRMW art. 2(1).
    case icrmw2_1 = "icrmw-2-1"
}

/// A note explaining why a case needs a person's review, or what the record or the law says
/// beside the result. Declared in the order of contract section 3.7, which is the order of `notes`.
public enum ClassificationNote: String, CaseIterable, Sendable, Hashable {
    /// (v2) `crossed_border: false`, yet not in the home country (a child born abroad; a record
    /// to correct). The countries decide.
    case outsideWithoutCrossing = "outside-without-crossing"
    /// (v2) `crossed_border: true`, yet in the home country: a returnee.
    case returnedToCountry = "returned-to-country"
    /// An adult with act and purpose but no means: not trafficking under art. 3(a) as given.
    case meansMissingAdult = "means-missing-adult"
    /// (v2) No country on record, but a claim or status in the current country presents the
    /// person as outside their own. Review.
    case outsidePresumedFromClaim = "outside-presumed-from-claim"
    /// (v2) A recognised refugee or temporary-protection holder who is not outside: has the
    /// status ceased (1951 art. 1C)? Review.
    case cessationReview = "cessation-review"
    /// (v2) Has the rights and obligations of a national where they live (1951 art. 1E). Review.
    case nationalRights1E = "national-rights-1E"
    /// Serious reasons for exclusion (1951 Convention art. 1F). Review.
    case exclusionClause = "exclusion-clause"
    /// (v2) A definition is met but the protection of another nationality is not recorded
    /// (1951 art. 1A(2) second paragraph). Review.
    case otherNationalityProtectionUnknown = "other-nationality-protection-unknown"
    /// A refugee by definition who has not asked for protection.
    case noClaimLodged = "no-claim-lodged"
    /// (v2) ICRMW art. 3(a): official functions.
    case icrmw3a = "icrmw-3a"
    /// (v2) ICRMW art. 3(b): a co-operation programme.
    case icrmw3b = "icrmw-3b"
    /// (v2) ICRMW art. 3(c): an investor.
    case icrmw3c = "icrmw-3c"
    /// (v2) ICRMW art. 3(d): a stateless person.
    case icrmw3d = "icrmw-3d"
    /// (v2) ICRMW art. 3(e): a student or trainee (stated or presumed).
    case icrmw3e = "icrmw-3e"
    /// (v2) ICRMW art. 3(f): a seafarer or offshore worker not admitted to reside.
    case icrmw3f = "icrmw-3f"

    /// Whether the note sends the case to a person (contract section 3.6).
    public var setsReview: Bool {
        switch self {
        case .meansMissingAdult, .outsidePresumedFromClaim, .cessationReview, .nationalRights1E,
            .exclusionClause, .otherNationalityProtectionUnknown:
            return true
        case .outsideWithoutCrossing, .returnedToCountry, .noClaimLodged,
            .icrmw3a, .icrmw3b, .icrmw3c, .icrmw3d, .icrmw3e, .icrmw3f:
            return false
        }
    }
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
