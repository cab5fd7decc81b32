/// The classification of one case (contract section 4): every category that applies, in order of
/// precedence, each with its subcategory and legal basis; plus what needs a person's attention.
public struct Classification: Hashable, Sendable {
    /// One category that applies, with why.
    public struct Finding: Hashable, Sendable {
        public let subcategory: Subcategory
        /// Never empty; in the contract's order.
        public let basis: [LegalBasis]

        public init(_ subcategory: Subcategory, basis: [LegalBasis]) {
            self.subcategory = subcategory
            self.basis = basis
        }

        public var category: MovementCategory { subcategory.category }
    }

    /// The caller's reference, echoed.
    public let ref: String
    /// In order of precedence; empty when nothing applies.
    public let findings: [Finding]
    /// `employment.authorized` when the case is a migrant worker, else nil.
    public let regular: Bool?
    /// `employment.sponsored` when the case is a migrant worker, else nil.
    public let institutional: Bool?
    /// A person should look at this case.
    public let review: Bool
    public let notes: [ClassificationNote]
    /// Sorted.
    public let missing: [MissingFact]

    public init(
        ref: String, findings: [Finding], regular: Bool?, institutional: Bool?,
        review: Bool, notes: [ClassificationNote], missing: [MissingFact]
    ) {
        self.ref = ref
        self.findings = findings
        self.regular = regular
        self.institutional = institutional
        self.review = review
        self.notes = notes
        self.missing = missing
    }

    /// The most urgent category, or nil when the case is unclassified.
    public var primary: MovementCategory? { findings.first?.category }

    /// `primary` as the contract writes it, `unclassified` when nothing applies.
    public var primaryID: String { primary?.rawValue ?? MovementCategory.unclassifiedID }

    public var categories: [MovementCategory] { findings.map(\.category) }

    public func finding(for category: MovementCategory) -> Finding? {
        findings.first { $0.category == category }
    }

    public func subcategory(of category: MovementCategory) -> Subcategory? {
        finding(for: category)?.subcategory
    }

    public func basis(of category: MovementCategory) -> [LegalBasis] {
        finding(for: category)?.basis ?? []
    }
}
