/// The referral lifecycle, the one place its transitions are decided:
///
///     pending  → accepted | declined(reason)           (receiving side)
///     accepted → completed(successful | unsuccessful(reason))   (receiving side)
///     pending | accepted → cancelled(reason)            (referring side)
///
/// Declined, completed and cancelled are final. Pure: the store applies the result only when
/// this says yes, in the same transaction as the event row and the audit entry.
public enum ReferralLifecycle {
    /// The state after `event`, or why it may not happen. `sides` are the sides the actor's
    /// organisation holds on this referral (both when an organisation refers to itself).
    public static func apply(
        _ event: ReferralEvent, to state: ReferralState,
        by sides: Set<ReferralSide>
    ) throws(ReferralTransitionError) -> ReferralState {
        guard allows(from: state.status, to: event.target.status) else {
            throw .illegal(from: state.status, to: event.target.status)
        }
        guard sides.contains(event.side) else {
            throw .wrongSide(event.target.status, needs: event.side)
        }
        return event.target
    }

    /// Whether a referral in `from` may move to `to` at all (whoever asks).
    public static func allows(from: ReferralStatus, to: ReferralStatus) -> Bool {
        switch (from, to) {
        case (.pending, .accepted), (.pending, .declined), (.pending, .cancelled),
            (.accepted, .completed), (.accepted, .cancelled):
            true
        default:
            false
        }
    }
}

/// A refused transition. Illegal ones are conflicts with the referral's current state (551);
/// the wrong side is a permission matter (530).
public enum ReferralTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    case illegal(from: ReferralStatus, to: ReferralStatus)
    case wrongSide(ReferralStatus, needs: ReferralSide)

    public var description: String {
        switch self {
        case .illegal(let from, let to):
            let allowed = ReferralStatus.allCases.filter { ReferralLifecycle.allows(from: from, to: $0) }.map(
                \.rawValue)
            let next =
                allowed.isEmpty
                ? "it is final" : "from \(from.rawValue) it can become " + allowed.joined(separator: " or ")
            // "an accepted", "a pending": the article follows the status's first letter.
            let article = "aeiou".contains(from.rawValue.prefix(1)) ? "an" : "a"
            return "illegal transition: \(article) \(from.rawValue) referral cannot become \(to.rawValue) (\(next))"
        case .wrongSide(let to, let side):
            return "only the \(side.rawValue) organisation may set a referral \(to.rawValue)"
        }
    }
}
