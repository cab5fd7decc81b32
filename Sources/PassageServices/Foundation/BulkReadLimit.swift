import Foundation
import Synchronization

/// A per-user token bucket on bulk reads: the list commands (`CASE LIST`, `REFERRAL LIST`,
/// `NEED LIST`, `PROVIDER LIST`, `USER LIST`, `AUDIT TAIL`), `STATS` and `GAPS`. Each call costs
/// one token plus one per row it returned; the bucket holds `burst` tokens and refills at
/// `rowsPerMinute`. A call finding the bucket empty is refused with 452 and the wait, before it
/// reaches the database; the call that empties it is answered in full (its size is known only
/// afterwards), so one reply can overdraw the bucket and the next calls wait the debt off. A
/// caseworker paging through a list works undisturbed; a loop pulling every record is slowed
/// to `rowsPerMinute`. The services' policy, shared by every interface and area (`reading`).
public final class BulkReadLimit: Sendable {
    public let rowsPerMinute: Double
    public let burst: Double
    private let now: @Sendable () -> ContinuousClock.Instant
    /// What a refusal says before "; retry in S s".
    private let refusal: String
    private let buckets = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    public init(
        rowsPerMinute: Int = 6_000, burst: Int? = nil, refusal: String? = nil,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.rowsPerMinute = Double(max(1, rowsPerMinute))
        self.burst = Double(max(1, burst ?? rowsPerMinute))
        self.refusal = refusal ?? "bulk-read limit: \(Int(max(1, rowsPerMinute))) rows a minute per user"
        self.now = now
    }

    /// Runs `read` for `actor` unless their bucket is empty (busy, with the wait), then charges
    /// one token plus one per record it returned.
    public func reading<Records: Collection & Sendable>(
        by actor: Actor,
        _ read: () async throws(ServiceError) -> Records
    ) async throws(ServiceError) -> Records {
        try admit(actor.name)
        let records = try await read()
        charge(actor.name, rows: records.count)
        return records
    }

    /// Refused (busy, with the wait) while `user`'s bucket is empty.
    public func admit(_ user: String) throws(ServiceError) {
        let wait: Double? = buckets.withLock { buckets in
            let tokens = refilled(buckets[user])
            buckets[user] = (tokens, now())
            guard tokens < 1 else { return nil }
            return (1 - tokens) / rowsPerMinute * 60
        }
        if let wait {
            throw .busy("\(refusal); retry in \(Int(wait.rounded(.up))) s")
        }
    }

    /// Spends one token plus one per row read.
    public func charge(_ user: String, rows: Int) {
        buckets.withLock { buckets in
            buckets[user] = (refilled(buckets[user]) - 1 - Double(rows), now())
        }
    }

    private func refilled(_ bucket: (tokens: Double, at: ContinuousClock.Instant)?) -> Double {
        guard let bucket else { return burst }
        let elapsed = now() - bucket.at
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(burst, bucket.tokens + seconds * rowsPerMinute / 60)
    }
}

extension Optional where Wrapped == BulkReadLimit {
    /// `read` under the limit when there is one (nil: unlimited, `--bulk-rows-per-minute 0`).
    public func reading<Records: Collection & Sendable>(
        by actor: Actor,
        _ read: () async throws(ServiceError) -> Records
    ) async throws(ServiceError) -> Records {
        guard let limit = self else { return try await read() }
        return try await limit.reading(by: actor, read)
    }
}
