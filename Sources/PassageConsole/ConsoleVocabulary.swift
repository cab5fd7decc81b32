import PassageCore

/// Fixed value lists of the console contract (shared/spec/console.md), used by the command
/// table to validate arguments before any handler runs. Lists with a type are derived from it
/// (PassageCore, or the store for statistics), so each list is written once; the order is the
/// order HELP shows.
public enum ConsoleVocabulary {
    /// In the contract's order, not precedence order (`MovementCategory.allCases`).
    public static let categories = [MovementCategory.migrantWorker, .refugeeAsylum, .idp, .trafficked].map(\.rawValue)
    public static let subcategories = [
        "skilled", "unskilled", "unspecified", "refugee", "asylum_seeker",
        "conflict", "disaster", "food_insecurity", "child", "adult",
    ]
    public static let priorities = Priority.allCases.map(\.rawValue)
    /// IASC inter-agency referral form service types.
    public static let services = ServiceType.allCases.map(\.rawValue)
    /// The statuses a referral can be moved to (a referral is pending only when made).
    public static let referralStatuses = ReferralStatus.allCases.filter { $0 != .pending }.map(\.rawValue)
    public static let outcomes = ["successful", "unsuccessful"]
    /// Closing statuses first, as NEED SET is mostly used to close a need.
    public static let needStatuses = [NeedStatus.met, .withdrawn, .open].map(\.rawValue)
    /// `by=` dimensions of STATS and GAPS.
    public static let dimensions = StatisticsDimension.allCases.map(\.rawValue)
    public static let statsFormats = ["hxl", "csv", "json", "xlsx"]
    /// STATS filters: sexes and age bands as the counting columns hold them.
    public static let sexes = Sex.allCases.map(\.rawValue)
    public static let ageBands = StatisticsFilterValues.ageBands
    /// What STATS counts (`of=`).
    public static let countedUnits = CountedUnit.allCases.map(\.rawValue)
    public static let gapKinds = GapKind.allCases.map(\.rawValue)
}
