/// What a statistics table counts: cases (people's cases), their protection needs, or referrals.
/// Asked for with `of=`; without it, a referral dimension means referrals, a need dimension
/// means needs, and otherwise cases are counted.
public enum CountedUnit: String, Sendable, CaseIterable {
    case cases, needs, referrals

    /// The unit implied by the dimensions when `of=` is not given.
    public static func implied(by dimensions: [StatisticsDimension]) -> CountedUnit {
        if dimensions.contains(where: { $0.unitsAllowed == [.referrals] }) { return .referrals }
        if dimensions.contains(where: { !$0.unitsAllowed.contains(.cases) }) { return .needs }
        return .cases
    }
}
