import Foundation

/// The cell-key method's perturbation table (ABS TableBuilder; Thompson, Broadfoot and Elazar
/// 2013; the R package `cellKey`): for a cell of true count n, noise d in max(−n, −D)…D is read
/// off a fixed distribution by the cell's key, so the same rows always get the same noise and
/// asking again, or asking an overlapping table, reveals nothing new about a cell.
///
/// Each row of the table is a discrete Gaussian shape exp(−d²/2V), tilted (exp(λd)) for small n
/// so that the noise has mean zero even where it cannot go below −n: published counts are
/// unbiased and never negative. Zero stays zero (a cell with no rows has no key).
public struct CellKeyPerturbation: Sendable, Equatable {
    public let maximumNoise: Int
    public let variance: Double
    /// rows[min(n, D+1) − 1]: the noise values and, for each, the upper bound of its key range.
    private let rows: [Row]

    struct Row: Sendable, Equatable {
        var lowest: Int
        /// thresholds[i] is the first key (as a fraction of 2^32, scaled to UInt64) *not* mapped
        /// to noise lowest + i; the last one is 2^32.
        var thresholds: [UInt64]
    }

    public init(maximumNoise: Int, variance: Double) {
        self.maximumNoise = maximumNoise
        self.variance = variance
        rows = (1...(maximumNoise + 1)).map { n in Self.row(count: n, maximumNoise: maximumNoise, variance: variance) }
    }

    /// The noise for a cell of `count` rows whose key is `cellKey`.
    public func noise(count: Int, cellKey: UInt32) -> Int {
        guard count > 0 else { return 0 }
        let row = rows[min(count, maximumNoise + 1) - 1]
        let key = UInt64(cellKey)
        // At most 2D+1 entries: a linear scan is as fast as a search.
        for (index, threshold) in row.thresholds.enumerated() where key < threshold {
            return row.lowest + index
        }
        return row.lowest + row.thresholds.count - 1
    }

    /// The published value before suppression.
    public func perturbed(count: Int, cellKey: UInt32) -> Int {
        count + noise(count: count, cellKey: cellKey)
    }

    /// The distribution of the noise for a count (for tests and docs): noise → probability.
    public func distribution(count: Int) -> [(noise: Int, probability: Double)] {
        guard count > 0 else { return [(0, 1)] }
        let row = rows[min(count, maximumNoise + 1) - 1]
        var previous: UInt64 = 0
        return row.thresholds.enumerated().map { index, threshold in
            defer { previous = threshold }
            return (row.lowest + index, Double(threshold - previous) / 4_294_967_296)
        }
    }

    private static func row(count n: Int, maximumNoise: Int, variance: Double) -> Row {
        let lowest = max(-n, -maximumNoise)
        let support = Array(lowest...maximumNoise)
        func weights(_ tilt: Double) -> [Double] {
            support.map { d in exp(-Double(d * d) / (2 * variance) + tilt * Double(d)) }
        }
        func mean(_ tilt: Double) -> Double {
            let w = weights(tilt)
            return zip(support, w).reduce(0) { $0 + Double($1.0) * $1.1 } / w.reduce(0, +)
        }
        // Mean is increasing in the tilt; a truncated row has a positive mean at tilt 0.
        var low = -50.0
        var high = 50.0
        if lowest == -maximumNoise {
            low = 0
            high = 0
        } else {
            for _ in 0..<200 {
                let middle = (low + high) / 2
                if mean(middle) > 0 { high = middle } else { low = middle }
            }
        }
        let w = weights((low + high) / 2)
        let total = w.reduce(0, +)
        var cumulative = 0.0
        var thresholds: [UInt64] = []
        for weight in w {
            cumulative += weight / total
            thresholds.append(min(UInt64((cumulative * 4_294_967_296).rounded()), 4_294_967_296))
        }
        thresholds[thresholds.count - 1] = 4_294_967_296
        return Row(lowest: lowest, thresholds: thresholds)
    }
}
