import Foundation

/// Two-sided geometric (discrete Laplace) noise: P(Z = z) ∝ α^|z| with α = e^−ε. Added to a
/// count, whose sensitivity is 1, it gives ε-differential privacy (Ghosh, Roughgarden and
/// Sundararajan 2009; the mechanism of OpenDP's integer counts).
public struct GeometricNoise: Sendable, Equatable {
    public let epsilon: Double

    public init(epsilon: Double) { self.epsilon = epsilon }

    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        oneSided(using: &generator) - oneSided(using: &generator)
    }

    /// P(G = g) = (1 − α) α^g for g ≥ 0, by inversion.
    private func oneSided<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        // A uniform in (0, 1]: log of it is finite.
        let uniform = (Double(generator.next() >> 11) + 1) / 9_007_199_254_740_992
        let value = (log(uniform) / -epsilon).rounded(.down)
        return value > 1e9 ? 1_000_000_000 : Int(value)
    }
}
