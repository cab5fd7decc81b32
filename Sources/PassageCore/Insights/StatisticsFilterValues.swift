/// The values a statistics filter may fix (`category=`, `sex=`, `age_band=`), as the counting
/// columns hold them: one list for the console's STATS and the HTTP API's statistics.
public enum StatisticsFilterValues {
    /// Movement categories in the contract's order (shared/spec/console.md), then `unclassified`.
    public static let categories =
        [MovementCategory.migrantWorker, .refugeeAsylum, .idp, .trafficked].map(\.rawValue)
        + [MovementCategory.unclassifiedID]
    public static let sexes = Sex.allCases.map(\.rawValue)
    /// The age bands of the counting column (no finer: Docs/anonymisation.md).
    public static let ageBands = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"]
}
