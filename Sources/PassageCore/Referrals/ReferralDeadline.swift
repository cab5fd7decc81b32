/// Response times per priority, read from the `referral_priorities` table (24 h / 72 h / 14 days
/// by default; a deployment changes the rows, not the code). Times are durations since the Unix
/// epoch so that the core needs no calendar.
public struct ReferralResponseTimes: Sendable, Equatable {
    public let byPriority: [String: Duration]

    public init(_ byPriority: [String: Duration]) {
        self.byPriority = byPriority
    }

    /// When a referral made at `createdAt` with `priority` must have been answered.
    public func due(priority: String, createdAt: Duration) throws(ReferralDeadlineError) -> Duration {
        guard let responseTime = byPriority[priority] else {
            throw .unknownPriority(priority, known: byPriority.keys.sorted())
        }
        return createdAt + responseTime
    }
}

public enum ReferralDeadline {
    /// Overdue: still open (pending or accepted) after its due time. Derived, never stored, so
    /// it is right at any moment without a job flipping flags.
    public static func isOverdue(status: ReferralStatus, due: Duration, now: Duration) -> Bool {
        status.isOpen && now > due
    }
}

public enum ReferralDeadlineError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownPriority(String, known: [String])

    public var description: String {
        switch self {
        case .unknownPriority(let priority, let known):
            "priority \(priority) has no response time (known: \(known.joined(separator: ", ")))"
        }
    }
}
