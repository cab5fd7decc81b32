/// The questions GAPS answers (Docs/gaps.md).
public enum GapKind: String, Sendable, CaseIterable {
    /// Open needs nobody is serving after N days; identified vs referred vs met.
    case unmet
    /// Referrals still waiting for an answer past their due time.
    case overdue
    /// (area, service) pairs with open needs and no active provider, or more than its capacity.
    case coverage
    /// Per provider and service: accepted, declined, completed (un)successfully; time taken.
    case outcomes
}
