/// A cell's state in a release: the true count it was last published from (`base`) and the
/// value published then (nil: suppressed). Stored per release (table `release_cells`), so every
/// table of a release that contains the cell shows the same value, and the next release starts
/// from it.
public struct ReleasedCell: Sendable, Equatable, Codable {
    public var base: Int
    public var value: Int?

    public init(base: Int, value: Int?) {
        self.base = base
        self.value = value
    }

    /// A cell never published: as if it had been published empty from zero rows.
    public static let never = ReleasedCell(base: 0, value: nil)
}

/// How a cell moves from one release to the next (Docs/anonymisation.md, "Changes between
/// releases"). The rule is the threshold-update rule for perturbed time series (the cell-key
/// practice of ABS TableBuilder for consistent series, Fraser and Wooton 2005; Eurostat's SDC
/// handbook, Hundepool et al. 2010, ch. 5 on linked and periodic tables):
///
/// - a cell whose true count moved by less than k since it was last published keeps its
///   published value, exactly: a change below k is never published, so a total that did not
///   move says only "fewer than k arrived", never "nobody arrived";
/// - otherwise it is published afresh: cell-key noise of its current rows, then — under an
///   organisation's differential-privacy policy — two-sided geometric noise on top, then
///   suppression below k. The change two releases show is then at least k people, perturbed by
///   two independent noises.
public enum ReleaseRule {
    public static func next<G: RandomNumberGenerator>(
        count: Int, key: UInt32, previous: ReleasedCell?,
        parameters: DisclosureParameters, perturbation: CellKeyPerturbation,
        policyNoise: GeometricNoise?, randomness: inout G
    ) -> ReleasedCell {
        let previous = previous ?? .never
        if abs(count - previous.base) < parameters.k { return previous }
        var noisy = perturbation.perturbed(count: count, cellKey: key)
        if let policyNoise { noisy = max(0, noisy + policyNoise.sample(using: &randomness)) }
        return ReleasedCell(base: count, value: noisy >= parameters.k ? noisy : nil)
    }
}
