/// A compact code for everything in a result line except `ref`. Across a million cases there are
/// only a few hundred distinct shapes, so `ClassificationStream` writes each shape's bytes once
/// and then copies them: the line is the same, byte for byte, only cheaper to produce.
extension Classification {
    /// The shape code, or nil for a classification not in the classifier's canonical order
    /// (possible only when built by hand), which is then always written out in full.
    var shapeCode: UInt64? {
        var code: UInt64 = 0
        var previousCategory = -1
        for finding in findings {
            let precedence = finding.category.precedence
            guard precedence > previousCategory else { return nil }
            previousCategory = precedence
            code |= UInt64(finding.subcategory.ordinal + 1) << UInt64(3 * precedence)  // bits 0–11
            var previousBasis = -1
            for basis in finding.basis {
                guard basis.ordinal > previousBasis, basis.category == finding.category else { return nil }
                previousBasis = basis.ordinal
                code |= 1 << UInt64(12 + basis.ordinal)  // bits 12–23
            }
        }
        code |= UInt64(Self.ternary(regular)) << 24  // bits 24–25
        code |= UInt64(Self.ternary(institutional)) << 26  // bits 26–27
        if review { code |= 1 << 28 }
        var previousNote = -1
        for note in notes {
            guard note.ordinal > previousNote else { return nil }
            previousNote = note.ordinal
            code |= 1 << UInt64(29 + note.ordinal)  // bits 29–43
        }
        var previousFact = -1
        for fact in missing {
            guard fact.ordinal > previousFact else { return nil }
            previousFact = fact.ordinal
            code |= 1 << UInt64(44 + fact.ordinal)  // bits 44–49
        }
        return code
    }

    private static func ternary(_ value: Bool?) -> Int {
        switch value {
        case nil: return 0
        case false?: return 1
        case true?: return 2
        }
    }
}

extension Subcategory {
    /// Position within its category's subcategories.
    var ordinal: Int {
        switch self {
        case .trafficked(.child), .refugeeAsylum(.refugee), .idp(.conflict), .migrantWorker(.skilled): return 0
        case .trafficked(.adult), .refugeeAsylum(.asylumSeeker), .idp(.disaster), .migrantWorker(.unskilled): return 1
        case .idp(.foodInsecurity), .migrantWorker(.unspecified): return 2
        }
    }
}

extension LegalBasis {
    /// Declaration order, which is the contract's order within a category.
    var ordinal: Int {
        switch self {
        case .palermo3c: return 0
        case .palermo3a: return 1
        case .recognizedStatus: return 2
        case .temporaryProtection: return 3
        case .asylumClaim: return 4
        case .refugeeConvention1951: return 5
        case .refugeeConvention1951Article1D: return 6
        case .unrwaMandate: return 7
        case .oauConvention1969: return 8
        case .cartagenaDeclaration1984: return 9
        case .guidingPrinciples2: return 10
        case .icrmw2_1: return 11
        }
    }

    /// The category this basis can support.
    public var category: MovementCategory {
        switch self {
        case .palermo3c, .palermo3a: return .trafficked
        case .recognizedStatus, .temporaryProtection, .asylumClaim, .refugeeConvention1951,
            .refugeeConvention1951Article1D, .unrwaMandate, .oauConvention1969, .cartagenaDeclaration1984:
            return .refugeeAsylum
        case .guidingPrinciples2: return .idp
        case .icrmw2_1: return .migrantWorker
        }
    }
}

extension ClassificationNote {
    var ordinal: Int {
        switch self {
        case .outsideWithoutCrossing: return 0
        case .returnedToCountry: return 1
        case .meansMissingAdult: return 2
        case .outsidePresumedFromClaim: return 3
        case .cessationReview: return 4
        case .nationalRights1E: return 5
        case .exclusionClause: return 6
        case .otherNationalityProtectionUnknown: return 7
        case .noClaimLodged: return 8
        case .icrmw3a: return 9
        case .icrmw3b: return 10
        case .icrmw3c: return 11
        case .icrmw3d: return 12
        case .icrmw3e: return 13
        case .icrmw3f: return 14
        }
    }
}

extension MissingFact {
    var ordinal: Int {
        switch self {
        case .causes: return 0
        case .crossedBorder: return 1
        case .employment: return 2
        case .forced: return 3
        case .leftHome: return 4
        case .trafficking: return 5
        }
    }
}
