/// Where a heavy read (STATS, GAPS, an export) was answered when the server has a read pool
/// (`passage serve --read-database-url`): on the hot standby, with how far behind the primary
/// it was, or on the primary and why (Docs/operations.md "Read replicas and several hosts").
/// Replies carry it as an info line (`250-replica lag=0.4s`, Docs/console-protocol.md
/// "Replica lag"); an answer without a read pool carries none.
public enum ReadSource: Sendable, Equatable {
    case standby(lag: Duration)
    case primary(because: FallbackReason)

    public enum FallbackReason: Sendable, Equatable {
        /// Connect refused, session lost, or no free connection in time.
        case standbyUnreachable
        /// nil lag: unknown (the standby has replayed nothing since it started).
        case standbyBehind(lag: Duration?, bound: Duration)
        /// The read pool's connection string reached a primary (no standby was up among its
        /// hosts with `target_session_attrs=prefer-standby`).
        case notAStandby
        /// The standby has not yet replayed up to the release boundary the answer counts to
        /// (the first seconds of a release period): it could miss rows recorded before it.
        case beforeReleaseBoundary(lag: Duration)
    }

    /// The lag in whole seconds and tenths, as the info line says it (`0.4`); nil when the
    /// answer came from the primary (no lag).
    public var lagSeconds: String? {
        guard case .standby(let lag) = self else { return nil }
        return Self.seconds(lag)
    }

    /// One line for the reply: `replica lag=0.4s`, or `replica primary reason=standby-unreachable`,
    /// `replica primary reason=standby-behind lag=45.0s max=30.0s`,
    /// `replica primary reason=not-a-standby`, `replica primary reason=before-release-boundary lag=2.0s`.
    public var infoLine: String {
        switch self {
        case .standby(let lag): return "replica lag=\(Self.seconds(lag))s"
        case .primary(.standbyUnreachable): return "replica primary reason=standby-unreachable"
        case .primary(.notAStandby): return "replica primary reason=not-a-standby"
        case .primary(.beforeReleaseBoundary(let lag)):
            return "replica primary reason=before-release-boundary lag=\(Self.seconds(lag))s"
        case .primary(.standbyBehind(let lag, let bound)):
            return
                "replica primary reason=standby-behind lag=\(lag.map { Self.seconds($0) + "s" } ?? "unknown") max=\(Self.seconds(bound))s"
        }
    }

    /// `duration` in seconds with one decimal, truncated (`45.0`).
    public static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (seconds * 10) + (attoseconds / 100_000_000_000_000_000)
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// A heavy read refused because the standby is behind or down and `--read-lag-policy refuse`
/// (451 to the client: retry is safe).
public struct ReadRefused: Error, Sendable, CustomStringConvertible {
    public let reason: ReadSource.FallbackReason

    public init(reason: ReadSource.FallbackReason) {
        self.reason = reason
    }

    public var description: String {
        let refusing = "and this server does not read from the primary (--read-lag-policy refuse); retry later"
        switch reason {
        case .standbyUnreachable:
            return "the read standby is unreachable \(refusing)"
        case .notAStandby:
            return "the read pool reached no standby \(refusing)"
        case .beforeReleaseBoundary:
            return "the read standby has not yet replayed up to the release boundary \(refusing)"
        case .standbyBehind(let lag, let bound):
            return
                "the read standby is \(lag.map { ReadSource.seconds($0) + " s" } ?? "an unknown time") behind the primary (at most \(ReadSource.seconds(bound)) s allowed) \(refusing)"
        }
    }
}
