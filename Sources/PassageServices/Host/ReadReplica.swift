import Logging
import Postgres

/// Reads that may come from a hot standby (`passage serve --read-database-url`): heavy,
/// read-only work whose answer may be a little behind the primary. Each read first asks the
/// standby how far behind it is (`ReplicaStanding`, in the same lease), then runs on it when
/// the lag is within `maxLag`; otherwise, and when the standby cannot be reached, it runs on
/// the primary (`Fallback.primary`, logged) or is refused (`Fallback.refuse`, 451: retry is safe).
/// The reply says where it came from (`ReadSource`), so a client sees how old the answer may be.
///
/// Casework reads that must see the user's own writes never come here: they stay on the
/// primary pool.
public final class ReadReplica: Sendable {
    /// What to do when the standby is too far behind or unreachable.
    public enum Fallback: String, Sendable, CaseIterable {
        /// Read from the primary instead, and say so (the default: the answer is right, only
        /// the load lands on the primary).
        case primary
        /// Refuse with 451, for installations where heavy reads must never load the primary.
        case refuse
    }

    /// The default bound on the lag, in seconds (`--read-max-lag`).
    public static let defaultMaxLagSeconds = 30

    public let pool: PostgresPool
    public let maxLag: Duration
    public let fallback: Fallback
    private let logger: Logger

    public init(pool: PostgresPool, maxLag: Duration, fallback: Fallback, logger: Logger) {
        self.pool = pool
        self.maxLag = maxLag
        self.fallback = fallback
        self.logger = logger
    }

    /// Runs `body` in a read-only transaction on the standby, or per `fallback` on `primary`.
    /// Errors of `body` itself (a bad query, a time limit) are thrown as they are: only an
    /// unreachable standby or a lost session counts as the standby being down.
    public func read<T: Sendable>(
        primary: PostgresPool, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> ReplicaRead<T> {
        let maxLag = self.maxLag
        let onStandby: StandbyAttempt<T>
        do {
            onStandby = try await pool.withConnection { connection -> StandbyAttempt<T> in
                let standing = try connection.replicaStanding()
                guard let lag = standing.lag, lag <= maxLag else { return .tooFarBehind(standing.lag) }
                let value = try Self.readOnly(on: connection, body)
                return .answered(value, lag: lag)
            }
        } catch let error as PostgresError where Self.meansStandbyDown(error) {
            logger.warning(
                "the read standby is unreachable; \(fallback == .primary ? "reading from the primary" : "refusing the read")",
                metadata: ["error": "\(error)"])
            return try await fallingBack(primary: primary, reason: .standbyUnreachable, body)
        }
        switch onStandby {
        case .answered(let value, let lag):
            return ReplicaRead(value: value, source: .standby(lag: lag))
        case .tooFarBehind(let lag):
            logger.notice(
                "the read standby is too far behind; \(fallback == .primary ? "reading from the primary" : "refusing the read")",
                metadata: ["lag": "\(lag.map { "\($0)" } ?? "unknown")", "bound": "\(maxLag)"])
            return try await fallingBack(primary: primary, reason: .standbyBehind(lag: lag, bound: maxLag), body)
        }
    }

    private func fallingBack<T: Sendable>(
        primary: PostgresPool, reason: ReadSource.FallbackReason,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> ReplicaRead<T> {
        guard fallback == .primary else { throw ReadRefused(reason: reason) }
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
}

/// A read's answer and where it came from.
public struct ReplicaRead<T: Sendable>: Sendable {
    public let value: T
    public let source: ReadSource
}

/// Where a heavy read was answered: on the standby (with its lag), or on the primary and why.
public enum ReadSource: Sendable, Equatable {
    case standby(lag: Duration)
    case primary(because: FallbackReason)

    public enum FallbackReason: Sendable, Equatable {
        case standbyUnreachable
        /// nil lag: unknown (the standby has replayed nothing since it started).
        case standbyBehind(lag: Duration?, bound: Duration)
    }

    /// The lag in whole seconds and tenths, as the info line and the HTTP header say it
    /// (`0.4`); nil when the answer came from the primary (no lag).
    public var lagSeconds: String? {
        guard case .standby(let lag) = self else { return nil }
        return Self.seconds(lag)
    }

    /// One line for the reply (Docs/console-protocol.md "Replica lag"):
    /// `replica lag=0.4s`, or `replica primary reason=standby-unreachable`,
    /// `replica primary reason=standby-behind lag=45.0s max=30.0s`.
    public var infoLine: String {
        switch self {
        case .standby(let lag): return "replica lag=\(Self.seconds(lag))s"
        case .primary(.standbyUnreachable): return "replica primary reason=standby-unreachable"
        case .primary(.standbyBehind(let lag, let bound)):
            return
                "replica primary reason=standby-behind lag=\(lag.map { Self.seconds($0) + "s" } ?? "unknown") max=\(Self.seconds(bound))s"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (seconds * 10) + (attoseconds / 100_000_000_000_000_000)
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// A heavy read refused because the standby is behind or down and `--read-fallback refuse`.
public struct ReadRefused: Error, Sendable, CustomStringConvertible {
    public let reason: ReadSource.FallbackReason

    public var description: String {
        switch reason {
        case .standbyUnreachable:
            return "the read standby is unreachable and this server does not read from the primary; retry later"
        case .standbyBehind(let lag, let bound):
            return
                "the read standby is \(lag.map { ReadSource.seconds($0) + " s" } ?? "an unknown time") behind the primary (at most \(ReadSource.seconds(bound)) s allowed) and this server does not read from the primary; retry later"
        }
    }
}
