import Foundation
import Synchronization

/// A per-user token bucket on bulk reads: the list commands (`CASE LIST`, `REFERRAL LIST`,
/// `NEED LIST`, `PROVIDER LIST`, `USER LIST`, `AUDIT TAIL`), `STATS` and `GAPS`. Each call costs
/// one token plus one per row it returned; the bucket holds `burst` tokens and refills at
/// `rowsPerMinute`. A call finding the bucket empty is refused with 452 and the wait, before it
/// reaches the database; the call that empties it is answered in full (its size is known only
/// afterwards), so one reply can overdraw the bucket and the next calls wait the debt off. A
/// caseworker paging through a list works undisturbed; a loop pulling every record is slowed
/// to `rowsPerMinute`.
public final class BulkReadLimit: Sendable {
    public let rowsPerMinute: Double
    public let burst: Double
    private let now: @Sendable () -> ContinuousClock.Instant
    private let buckets = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    public init(rowsPerMinute: Int = 6_000, burst: Int? = nil,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.rowsPerMinute = Double(max(1, rowsPerMinute))
        self.burst = Double(max(1, burst ?? rowsPerMinute))
        self.now = now
    }

    /// Wraps a bulk-read handler: refused while the user's bucket is empty, charged after.
    public func limiting(_ handler: @escaping CommandHandler) -> CommandHandler {
        { invocation, session in
            let user = try invocation.signedInUser().name
            try self.admit(user)
            let reply = try await handler(invocation, session)
            self.charge(user, rows: reply.data?.count ?? 0)
            return reply
        }
    }

    func admit(_ user: String) throws(ConsoleError) {
        let wait: Double? = buckets.withLock { buckets in
            let tokens = refilled(buckets[user])
            buckets[user] = (tokens, now())
            guard tokens < 1 else { return nil }
            return (1 - tokens) / rowsPerMinute * 60
        }
        if let wait {
            throw .busy("bulk-read limit: \(Int(rowsPerMinute)) rows a minute per user; retry in \(Int(wait.rounded(.up))) s")
        }
    }

    func charge(_ user: String, rows: Int) {
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
