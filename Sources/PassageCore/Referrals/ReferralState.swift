/// Where a referral stands. The stored `referrals.status` column holds these raw values.
public enum ReferralStatus: String, CaseIterable, Sendable {
    case pending, accepted, declined, completed, cancelled

    /// Still waiting for the provider to act (and so able to become overdue).
    public var isOpen: Bool { self == .pending || self == .accepted }
}

/// The two organisations a referral joins. The receiving side (the provider's organisation)
/// accepts, declines and completes; the referring side cancels.
public enum ReferralSide: String, CaseIterable, Sendable {
    case referring, receiving
}

/// How an accepted referral ended.
public enum ReferralOutcome: Sendable, Hashable {
    case successful
    /// With a reason code from `referral_reasons` (kind `unsuccessful`).
    case unsuccessful(reason: String)

    public var name: String {
        switch self {
        case .successful: "successful"
        case .unsuccessful: "unsuccessful"
        }
    }
}

/// A referral's state with what the state carries: the reason of a decline or cancellation,
/// the outcome of a completion. Closed states carry their reason so a replay can compare them.
public enum ReferralState: Sendable, Hashable {
    case pending
    case accepted
    case declined(reason: String)
    case completed(ReferralOutcome)
    case cancelled(reason: String)

    public var status: ReferralStatus {
        switch self {
        case .pending: .pending
        case .accepted: .accepted
        case .declined: .declined
        case .completed: .completed
        case .cancelled: .cancelled
        }
    }

    /// The reason code stored beside the status, if the state has one.
    public var reason: String? {
        switch self {
        case .declined(let reason), .cancelled(let reason), .completed(.unsuccessful(let reason)): reason
        case .pending, .accepted, .completed(.successful): nil
        }
    }

    /// `successful` / `unsuccessful` for a completed referral.
    public var outcome: String? {
        if case .completed(let outcome) = self { outcome.name } else { nil }
    }

    /// Rebuilds a state from its stored columns, refusing combinations the lifecycle never makes.
    public init(status: ReferralStatus, outcome: String?, reason: String?) throws(ReferralRequestError) {
        self = try ReferralRequest(status: status, outcome: outcome, reason: reason).target
    }
}
