import Synchronization

/// How much password checking the server takes on (Docs/security.md "3. Unauthenticated
/// connections"): bcrypt costs tens of milliseconds of a database core per check, so a flood of
/// AUTH lines would otherwise take every pooled connection and most of the CPU from signed-in
/// work (a caseworker's 2 ms became 1.3 s).
public struct SignInLimits: Sendable {
    /// Password checks running at once; further AUTHs wait their turn.
    public var concurrentChecks: Int
    /// AUTHs waiting for a turn; beyond, an AUTH is refused at once (515, try again later).
    public var waitingChecks: Int
    /// AUTH attempts per minute from one network (IPv4 /24, IPv6 /64, loopback as one), with
    /// bursts of as many; beyond, refused unchecked (515) until the budget refills.
    public var attemptsPerMinutePerNetwork: Int

    public init(concurrentChecks: Int = 2, waitingChecks: Int = 64, attemptsPerMinutePerNetwork: Int = 60) {
        self.concurrentChecks = max(1, concurrentChecks)
        self.waitingChecks = max(0, waitingChecks)
        self.attemptsPerMinutePerNetwork = max(1, attemptsPerMinutePerNetwork)
    }
}

/// Admits password checks: a per-network token bucket, then a first-come first-served
/// semaphore of `concurrentChecks` places with a bounded queue.
public final class SignInGate: Sendable {
    public enum Admission: Sendable, Equatable {
        case admitted
        /// Over the network's rate; `firstRefusal` for the first refusal since it was last admitted
        /// (audited once per episode, not per line of a flood).
        case overRate(firstRefusal: Bool)
    }

    let limits: SignInLimits
    private let state = Mutex(State())

    private struct Bucket {
        var tokens: Double
        var refilled: ContinuousClock.Instant
        var refusing = false
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var running = 0
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    public init(limits: SignInLimits = SignInLimits()) {
        self.limits = limits
    }

    /// Spends one attempt of `prefix`'s budget.
    public func admit(prefix: String, now: ContinuousClock.Instant = .now) -> Admission {
        let capacity = Double(limits.attemptsPerMinutePerNetwork)
        let perSecond = capacity / 60
        return state.withLock { state in
            var bucket = state.buckets[prefix] ?? Bucket(tokens: capacity, refilled: now)
            let elapsed = now - bucket.refilled
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.refilled = now
            let admission: Admission
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                bucket.refusing = false
                admission = .admitted
            } else {
                admission = .overRate(firstRefusal: !bucket.refusing)
                bucket.refusing = true
            }
            state.buckets[prefix] = bucket
            if state.buckets.count > 10_000 {
                Self.forgetFull(&state.buckets, capacity: capacity, perSecond: perSecond, now: now)
            }
            return admission
        }
    }

    /// Networks whose budget has refilled need no entry (bounded memory against many sources).
    private static func forgetFull(
        _ buckets: inout [String: Bucket], capacity: Double, perSecond: Double,
        now: ContinuousClock.Instant
    ) {
        buckets = buckets.filter { _, bucket in
            let elapsed = now - bucket.refilled
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return bucket.tokens + seconds * perSecond < capacity
        }
    }

    /// Runs `check` when one of the places is free; nil without running it when too many are
    /// waiting already.
    public func withCheck<T: Sendable>(_ check: () async throws -> T) async throws -> T? {
        // Decided and queued under one lock, so a check ending meanwhile cannot miss the waiter.
        let admitted: Bool = await withCheckedContinuation { continuation in
            let immediate: Bool? = state.withLock { state in
                if state.running < limits.concurrentChecks {
                    state.running += 1
                    return true
                }
                guard state.waiters.count < limits.waitingChecks else { return false }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        guard admitted else { return nil }
        // The place is ours now (taken above, or handed over by the check that ended).
        defer { leave() }
        try Task.checkCancellation()
        return try await check()
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiters.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume(returning: true)
    }

    /// Checks running now (for tests).
    var running: Int { state.withLock { $0.running } }
    /// Attempts waiting for a turn now (for tests).
    var waiting: Int { state.withLock { $0.waiters.count } }
}
