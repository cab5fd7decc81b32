/// Fixed value lists of the console contract (shared/spec/console.md), used by the command
/// table to validate arguments before any handler runs.
public enum ConsoleVocabulary {
    public static let categories = ["migrant_worker", "refugee_asylum", "idp", "trafficked"]
    public static let subcategories = ["skilled", "unskilled", "unspecified", "refugee", "asylum_seeker",
                                       "conflict", "disaster", "food_insecurity", "child", "adult"]
    public static let priorities = ["emergency", "urgent", "normal"]
    /// IASC inter-agency referral form service types.
    public static let services = ["psychosocial", "child_care", "family_tracing", "womens_services", "disability",
                                  "legal_assistance", "safe_shelter", "core_relief_items", "cash", "health",
                                  "food_security", "shelter", "livelihoods_education", "other"]
    public static let referralStatuses = ["accepted", "declined", "completed", "cancelled"]
    public static let outcomes = ["successful", "unsuccessful"]
    public static let needStatuses = ["met", "withdrawn", "open"]
    /// `by=` dimensions of STATS and GAPS.
    public static let dimensions = ["category", "subcategory", "origin", "country", "area", "sex", "age_band",
                                    "need", "service", "dimension", "referral_status", "month", "quarter", "year"]
    public static let statsFormats = ["hxl", "csv", "json"]
    /// STATS filters: sexes and age bands as the counting columns hold them.
    public static let sexes = ["female", "male", "other", "unknown"]
    public static let ageBands = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"]
    /// What STATS counts (`of=`).
    public static let countedUnits = ["cases", "needs", "referrals"]
    public static let gapKinds = ["unmet", "overdue", "coverage", "outcomes"]
}
