import Foundation

/// Published numbers are frozen for a release period: an export counts only rows recorded
/// before the start of the current period (GBVIMS monthly aggregates). Adding a person today
/// changes no export until the next period begins, so comparing exports taken before and after
/// one person was recorded reveals nothing about them. Longer periods protect more and publish
/// later; `month` is the default (Docs/anonymisation.md discusses the trade-off).
public enum ReleasePeriod: String, Sendable, CaseIterable {
    case day, week, month, quarter

    /// The start of the period containing `now` (UTC): rows recorded from then on are not counted yet.
    public func cutoff(at now: Date) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        switch self {
        case .day:
            return calendar.startOfDay(for: now)
        case .week:
            return calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? calendar.startOfDay(for: now)
        case .month:
            return calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        case .quarter:
            let parts = calendar.dateComponents([.year, .month], from: now)
            let firstMonth = ((parts.month! - 1) / 3) * 3 + 1
            return calendar.date(from: DateComponents(year: parts.year, month: firstMonth, day: 1))!
        }
    }
}
