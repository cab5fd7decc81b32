/// A `by=` dimension of STATS and `passage export`, and which counted units have it. The store
/// says which stored column each reads (`StatisticsDimension+Columns` there), and every one is
/// already no finer than an age band, a month or a first-level subdivision.
public enum StatisticsDimension: String, Sendable, CaseIterable {
    case category, subcategory, origin, country, area, sex
    case ageBand = "age_band"
    case need, service, dimension
    case referralStatus = "referral_status"
    /// Whether the receiving provider answered the referral in time (`in_time`, `late`, `none`):
    /// Docs/referrals.md "Answered in time".
    case referralResponse = "referral_response"
    case month, quarter, year

    /// The counted units a table grouped by this dimension may count.
    public var unitsAllowed: Set<CountedUnit> {
        switch self {
        case .need, .dimension: [.needs, .referrals]
        case .service, .referralStatus, .referralResponse: [.referrals]
        default: Set(CountedUnit.allCases)
        }
    }
}
