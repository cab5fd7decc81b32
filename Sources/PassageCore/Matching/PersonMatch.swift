/// A person a search or a duplicate check found: the cases of that person (never their
/// identifiers: reading those is `PERSON SHOW`, audited per case) and how strongly they match.
public struct PersonMatch: Sendable, Equatable {
    public let cases: [CaseReference]
    /// `PersonMatchScore`: the sum of log2 likelihood ratios, rounded to one decimal.
    public let score: Double

    public init(cases: [CaseReference], score: Double) {
        self.cases = cases
        self.score = (score * 10).rounded() / 10
    }

    /// At or above `PersonMatchScore.strongMatch`: most probably the same person.
    public var isStrong: Bool { score >= PersonMatchScore.strongMatch }
}
