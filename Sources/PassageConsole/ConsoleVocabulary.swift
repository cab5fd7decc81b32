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
    public static let gapKinds = ["unmet", "overdue", "coverage", "outcomes"]
}
