/// A `by=` dimension of GAPS: the STATS dimensions plus `freedom` (the human-security split
/// policy staff ask for: freedom from fear or from want), `priority` and `provider`. Each maps
/// to one SQL expression per kind of gap; a dimension that means nothing for a kind (the
/// service of a need nobody referred) is refused with a message naming it.
public enum GapDimension: String, Sendable, CaseIterable {
    case category, subcategory, origin, country, area, sex
    case ageBand = "age_band"
    case need, service, dimension, freedom
    case referralStatus = "referral_status"
    case month, quarter, year, priority, provider

    /// Every name `by=` accepts for GAPS, in the order HELP lists them.
    public static let names = allCases.map(\.rawValue)

    /// The rows each kind counts, and the time a period dimension reads.
    public enum Unit: Sendable { case need, referral }

    public static func unit(of kind: GapKind) -> Unit { kind == .unmet || kind == .coverage ? .need : .referral }

    /// Why this dimension cannot break down `kind` (the `by` argument is refused), or nil when it can.
    public func refusal(for kind: GapKind) -> String? {
        switch (self, Self.unit(of: kind)) {
        case (.referralStatus, .need):
            return "referral_status does not apply to GAPS \(kind.rawValue) (it counts needs)"
        case (.provider, .need): return "provider does not apply to GAPS \(kind.rawValue) (it counts needs)"
        case (.service, .need) where kind == .unmet:
            return "service does not apply to GAPS unmet (a need has no service until referred)"
        default: return nil
        }
    }
}
