/// One stored `referral_events` row, as far as the lifecycle is concerned.
public struct ReferralEventRecord: Sendable, Equatable {
    public let from: ReferralStatus?
    public let to: ReferralStatus
    public let outcome: String?
    public let reason: String?

    public init(from: ReferralStatus?, to: ReferralStatus, outcome: String? = nil, reason: String? = nil) {
        self.from = from
        self.to = to
        self.outcome = outcome
        self.reason = reason
    }
}

/// Replays a referral's history: the creation event, then every transition through the
/// lifecycle. The result is the state the referral must be in now; a history that breaks the
/// lifecycle anywhere is reported with the position of the first bad event.
public enum ReferralReplay {
    public static func state(after events: [ReferralEventRecord]) throws(ReferralReplayError) -> ReferralState {
        guard let first = events.first else { throw .empty }
        guard first.from == nil, first.to == .pending, first.outcome == nil, first.reason == nil else {
            throw .badEvent(index: 0, "the first event must create the referral as pending")
        }
        var state = ReferralState.pending
        for (index, record) in events.enumerated().dropFirst() {
            guard record.from == state.status else {
                throw .badEvent(
                    index: index,
                    "it starts from \(record.from?.rawValue ?? "nothing") but the referral was \(state.status.rawValue)"
                )
            }
            let request: ReferralRequest
            do {
                request = try ReferralRequest(status: record.to, outcome: record.outcome, reason: record.reason)
            } catch {
                throw .badEvent(index: index, error.description)
            }
            do {
                state = try ReferralLifecycle.apply(request.event, to: state, by: Set(ReferralSide.allCases))
            } catch {
                throw .badEvent(index: index, error.description)
            }
        }
        return state
    }
}

public enum ReferralReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// `index` counts from 0 in event order.
    case badEvent(index: Int, String)

    public var description: String {
        switch self {
        case .empty: "the referral has no events"
        case .badEvent(let index, let why): "event \(index + 1): \(why)"
        }
    }
}
