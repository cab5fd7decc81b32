import PassageCore

/// How failed sign-ins slow further attempts (Docs/security.md "4. Sign-in throttling").
///
/// Failures count per (user name as given, address) and per address prefix (`AddressPrefix`),
/// never per account alone: an account cannot be locked from everywhere by a stranger, and an
/// attacker rotating addresses inside one network shares that network's count. Past the free
/// failures of a key, each further failure blocks the key for `firstDelay`, then twice that, and
/// so on up to `longestDelay`; a blocked attempt is refused without a password check. Failures
/// are forgotten after `quietWindow` without one.
public struct SignInThrottle: Sendable {
    public var freeFailuresPerUserAndAddress: Int
    public var freeFailuresPerPrefix: Int
    public var firstDelay: Duration
    public var longestDelay: Duration
    public var quietWindow: Duration

    public init(
        freeFailuresPerUserAndAddress: Int = 5, freeFailuresPerPrefix: Int = 30,
        firstDelay: Duration = .seconds(1), longestDelay: Duration = .seconds(15 * 60),
        quietWindow: Duration? = nil
    ) {
        self.freeFailuresPerUserAndAddress = freeFailuresPerUserAndAddress
        self.freeFailuresPerPrefix = freeFailuresPerPrefix
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.quietWindow = quietWindow ?? longestDelay
    }
}

extension Duration {
    /// Seconds as a floating-point number, for `make_interval(secs => …)`.
    var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
