import Foundation
import Logging
import PassageCore
import Postgres

/// Reads that may come from a hot standby (`passage serve --read-database-url`): heavy,
/// read-only work whose answer may be a little behind the primary. Each read first asks the
/// standby how far behind it is (`ReplicaStanding`, in the same lease), then runs on it when
/// the lag is within `maxLag`; otherwise, and when the standby cannot be reached, it runs on
/// the primary (`Policy.fallback`, logged) or is refused (`Policy.refuse`, 451: retry is safe).
/// The answer says where it came from (`ReadSource`), so a client sees how old it may be.
///
/// Casework reads that must see the user's own writes never come here: they stay on the
/// primary pool (Docs/operations.md "Which commands read where").
public final class ReadReplica: Sendable {
    /// What to do when the standby is too far behind, unreachable, or not a standby
    /// (`--read-lag-policy`).
    public enum Policy: String, Sendable, CaseIterable {
        /// Read from the primary instead, and say so (the default: the answer is right, only
        /// the load lands on the primary).
        case fallback
        /// Refuse with 451, for installations where heavy reads must never load the primary.
        case refuse
    }

    /// The default bound on the lag, in seconds (`--read-max-lag`).
    public static let defaultMaxLagSeconds = 30

    public let pool: PostgresPool
    public let maxLag: Duration
    public let policy: Policy
    private let logger: Logger

    public init(pool: PostgresPool, maxLag: Duration, policy: Policy, logger: Logger) {
        self.pool = pool
        self.maxLag = maxLag
        self.policy = policy
        self.logger = logger
    }

    /// Runs `body` in a read-only transaction on the standby, or per `policy` on `primary`.
    /// With `boundary` (a release's cutoff: the answer counts rows recorded before it) the
    /// standby answers only once it has replayed past it (`now - lag ≥ boundary`).
    /// Errors of `body` itself (a bad query, a time limit) are thrown as they are: only an
    /// unreachable standby or a lost session counts as the standby being down.
    public func read<T: Sendable>(
        primary: PostgresPool, replayedPast boundary: Date? = nil,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> ReplicaRead<T> {
        let maxLag = self.maxLag
        let onStandby: StandbyAttempt<T>
        do {
            onStandby = try await pool.withConnection { connection -> StandbyAttempt<T> in
                let standing = try connection.replicaStanding()
                guard standing.isStandby else { return .notAStandby }
                guard let lag = standing.lag, lag <= maxLag else { return .tooFarBehind(standing.lag) }
                if let boundary, Date().addingTimeInterval(-Self.seconds(lag)) < boundary {
                    return .beforeBoundary(lag: lag)
                }
                let value = try Self.readOnly(on: connection, body)
                return .answered(value, lag: lag)
            }
        } catch let error as PostgresError where Self.meansStandbyDown(error) {
            logger.warning(
                "the read standby is unreachable; \(policy == .fallback ? "reading from the primary" : "refusing the read")",
                metadata: ["error": "\(error)"])
            return try await fallingBack(primary: primary, reason: .standbyUnreachable, body)
        }
        switch onStandby {
        case .answered(let value, let lag):
            return ReplicaRead(value: value, source: .standby(lag: lag))
        case .tooFarBehind(let lag):
            logger.notice(
                "the read standby is too far behind; \(policy == .fallback ? "reading from the primary" : "refusing the read")",
                metadata: ["lag": "\(lag.map { "\($0)" } ?? "unknown")", "bound": "\(maxLag)"])
            return try await fallingBack(primary: primary, reason: .standbyBehind(lag: lag, bound: maxLag), body)
        case .notAStandby:
            logger.warning(
                "the read pool reached a primary, not a standby; \(policy == .fallback ? "reading from the primary" : "refusing the read")"
            )
            return try await fallingBack(primary: primary, reason: .notAStandby, body)
        case .beforeBoundary(let lag):
            logger.notice("the read standby has not replayed up to the release boundary yet; counting on the primary")
            return try await fallingBack(primary: primary, reason: .beforeReleaseBoundary(lag: lag), body)
        }
    }

    private func fallingBack<T: Sendable>(
        primary: PostgresPool, reason: ReadSource.FallbackReason,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> ReplicaRead<T> {
        guard policy == .fallback else { throw ReadRefused(reason: reason) }
        let value = try await primary.withConnection { try Self.readOnly(on: $0, body) }
        return ReplicaRead(value: value, source: .primary(because: reason))
    }

    /// `body` in a READ ONLY transaction: on the primary too, so a heavy read never writes
    /// there what it could not have written on the standby.
    private static func readOnly<T>(on connection: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws
        -> T
    {
        try connection.transaction { connection in
            try connection.execute("SET TRANSACTION READ ONLY")
            return try body(connection)
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// Failures that mean the standby (or the way to it) is down, not that the read is wrong.
    static func meansStandbyDown(_ error: PostgresError) -> Bool {
        switch error {
        case .connectionFailed, .lostConnection, .poolTimeout: return true
        case .server(let server): return server.sqlState.hasPrefix("08") || server.sqlState.hasPrefix("57P")
        default: return false
        }
    }
}

private enum StandbyAttempt<T: Sendable>: Sendable {
    case answered(T, lag: Duration)
    case tooFarBehind(Duration?)
    case notAStandby
    case beforeBoundary(lag: Duration)
}

/// A read's answer and where it came from.
public struct ReplicaRead<T: Sendable>: Sendable {
    public let value: T
    public let source: ReadSource
}
