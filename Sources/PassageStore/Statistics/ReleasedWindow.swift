import Foundation

/// The windows a release answers (issue 17, Docs/anonymisation.md "Releases"): everything
/// released (no `from`; `to` absent or the last released month), or one released month
/// (`from` = `to`, under monthly releases). Any other window is refused rather than widened:
/// many overlapping windows are a linear system whose solution recovers suppressed months,
/// and widening silently would answer a question the user did not ask.
struct ReleasedWindow {
    var window: StatisticsWindow
    /// Pairs added to every cell's identity: the month of a one-month window, so that its cells
    /// are the very cells of a `by=month` table of the release.
    var fixed: [(String, String)]

    init(from: String?, to: String?, cutoff: Date, period: ReleasePeriod) throws {
        // The month holding the release's last instant.
        let lastMonth = StatisticsWindow.utc.date(
            from: StatisticsWindow.utc.dateComponents([.year, .month], from: cutoff.addingTimeInterval(-1)))!
        let refusal =
            "a window must be everything released (no from; to absent or the last released month) or one released month (from = to, monthly releases): overlapping windows can be solved for hidden cells"
        switch (from, to) {
        case (nil, nil):
            window = try StatisticsWindow(from: nil, to: nil, cutoff: cutoff)
            fixed = []
        case (nil, let to?):
            guard try StatisticsWindow.monthStart(of: to, argument: "to") == lastMonth else {
                throw StoreError.invalid(argument: "to", message: "\(refusal)")
            }
            window = try StatisticsWindow(from: nil, to: nil, cutoff: cutoff)
            fixed = []
        case (let from?, let to?):
            let start = try StatisticsWindow.monthStart(of: from, argument: "from")
            guard period == .month, start == (try StatisticsWindow.monthStart(of: to, argument: "to")) else {
                throw StoreError.invalid(argument: "from", message: "\(refusal)")
            }
            guard start < cutoff else {
                throw StoreError.invalid(
                    argument: "from",
                    message:
                        "\(from) is not released yet (the release counts rows before \(StatisticsStore.day(cutoff)))")
            }
            window = try StatisticsWindow(from: from, to: to, cutoff: cutoff)
            let parts = StatisticsWindow.utc.dateComponents([.year, .month], from: start)
            fixed = [("month", String(format: "%04d-%02d", parts.year!, parts.month!))]
        case (_?, nil):
            throw StoreError.invalid(argument: "from", message: "\(refusal)")
        }
    }
}
