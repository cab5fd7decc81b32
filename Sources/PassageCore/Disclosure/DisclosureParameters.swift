/// How strongly a table is protected. Defaults are the documented ones (Docs/anonymisation.md).
public struct DisclosureParameters: Sendable, Equatable {
    /// Every published count is 0 or at least `k`; anything below, true zeros included, is
    /// suppressed. Never below `minimumK`.
    public var k: Int
    /// The cell-key perturbation: noise in −D…D with variance about V.
    public var maximumNoise: Int
    public var noiseVariance: Double
    /// Differential privacy on request: two-sided geometric noise with this ε per table instead
    /// of the cell-key noise (the caller charges the user's budget `epsilonSpent`).
    public var epsilon: Double?
    /// Also publish every margin (sub-totals and the grand total), each perturbed by its own key.
    public var totals: Bool
    /// A table larger than this is refused (a cross product of many open dimensions).
    public var maximumCells: Int

    /// 5, not 3 (issue 17): at k = 3 a true 1 published as 3 in about 8% of single-person cells.
    public static let minimumK = 5
    public static let defaultK = 5
    public static let defaultMaximumNoise = 3
    public static let defaultNoiseVariance = 2.0
    public static let defaultMaximumCells = 200_000

    public init(
        k: Int = DisclosureParameters.defaultK,
        maximumNoise: Int = DisclosureParameters.defaultMaximumNoise,
        noiseVariance: Double = DisclosureParameters.defaultNoiseVariance,
        epsilon: Double? = nil, totals: Bool = false,
        maximumCells: Int = DisclosureParameters.defaultMaximumCells
    ) {
        self.k = k
        self.maximumNoise = maximumNoise
        self.noiseVariance = noiseVariance
        self.epsilon = epsilon
        self.totals = totals
        self.maximumCells = maximumCells
    }

    /// Checks the parameters; the message names what is wrong.
    public func validated() throws(DisclosureError) -> DisclosureParameters {
        guard k >= Self.minimumK else { throw .invalidParameter("k must be at least \(Self.minimumK), got \(k)") }
        guard k <= 1000 else { throw .invalidParameter("k must be at most 1000, got \(k)") }
        guard (1...20).contains(maximumNoise) else {
            throw .invalidParameter("maximum noise D must be 1…20, got \(maximumNoise)")
        }
        guard noiseVariance > 0, noiseVariance <= Double(maximumNoise * maximumNoise) else {
            throw .invalidParameter("noise variance V must be above 0 and at most D², got \(noiseVariance)")
        }
        if let epsilon {
            guard epsilon.isFinite, epsilon >= 0.01, epsilon <= 10 else {
                throw .invalidParameter("dp epsilon must be between 0.01 and 10, got \(epsilon)")
            }
        }
        guard maximumCells > 0 else { throw .invalidParameter("maximum cells must be positive") }
        return self
    }

    /// The privacy budget a table with these parameters spends: ε per disjoint partition of the
    /// counted rows (the cells, and each level of margins when totals are published).
    public func epsilonSpent(dimensionCount: Int) -> Double {
        guard let epsilon else { return 0 }
        let partitions = totals ? (1 << dimensionCount) : 1
        return epsilon * Double(partitions)
    }
}

public enum DisclosureError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case tooManyCells(Int, limit: Int)
    case malformedTable(String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): message
        case .tooManyCells(let count, let limit):
            "the table would have \(count) cells, more than the limit of \(limit): ask for fewer dimensions"
        case .malformedTable(let message): message
        }
    }
}
