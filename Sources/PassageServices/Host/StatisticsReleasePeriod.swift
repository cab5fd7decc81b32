import PassageStore

/// STATS and export count rows recorded before the start of the current day, week, month or
/// quarter (`--release-period`): a release holds until the next period starts.
public enum StatisticsReleasePeriod: String, Sendable, CaseIterable {
    case day, week, month, quarter

    var storePeriod: ReleasePeriod {
        switch self {
        case .day: .day
        case .week: .week
        case .month: .month
        case .quarter: .quarter
        }
    }
}
