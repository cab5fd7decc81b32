import PassageCore
import Postgres

/// Which SQL expression a GAPS dimension groups on, per kind of gap.
extension GapDimension {
    /// The grouping expression, over the aliases of the kind's query: c cases, n needs,
    /// nc need_codes, h human_security_dimensions, and for referrals r referrals, po the
    /// provider's organisation; stn service_type_needs in coverage. Unknown values read `unknown`.
    func expression(for kind: GapKind) -> SQLFragment {
        switch self {
        case .category: return SQLFragment("c.primary_category")
        case .subcategory: return SQLFragment("coalesce(c.subcategory, 'unknown')")
        case .origin: return SQLFragment("coalesce(c.origin_country, 'unknown')")
        case .country: return SQLFragment("coalesce(c.current_country, 'unknown')")
        case .area: return SQLFragment("coalesce(c.current_area, 'unknown')")
        case .sex: return SQLFragment("coalesce(c.sex, 'unknown')")
        case .ageBand: return SQLFragment("coalesce(c.age_band, 'unknown')")
        case .need: return SQLFragment("n.code")
        case .service: return kind == .coverage ? SQLFragment("stn.service") : SQLFragment("r.service")
        case .dimension: return SQLFragment("nc.dimension")
        case .freedom: return SQLFragment("h.freedom")
        case .referralStatus: return SQLFragment("r.status")
        case .priority: return Self.unit(of: kind) == .need ? SQLFragment("n.priority") : SQLFragment("r.priority")
        case .provider: return SQLFragment("po.name")
        case .month, .quarter, .year: return period(for: kind)
        }
    }

    /// Periods: a need by when it was identified; an overdue referral by when it fell due; a
    /// referral's outcome by when it was made.
    private func period(for kind: GapKind) -> SQLFragment {
        switch (self, kind) {
        case (.month, .unmet), (.month, .coverage):
            SQLFragment("to_char(n.identified_at AT TIME ZONE 'UTC', 'YYYY-MM')")
        case (.quarter, .unmet), (.quarter, .coverage):
            SQLFragment("to_char(n.identified_at AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q')")
        case (.year, .unmet), (.year, .coverage): SQLFragment("to_char(n.identified_at AT TIME ZONE 'UTC', 'YYYY')")
        case (.month, .overdue): SQLFragment("to_char(r.due_at AT TIME ZONE 'UTC', 'YYYY-MM')")
        case (.quarter, .overdue): SQLFragment("to_char(r.due_at AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q')")
        case (.year, .overdue): SQLFragment("to_char(r.due_at AT TIME ZONE 'UTC', 'YYYY')")
        case (.month, _): SQLFragment("to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM')")
        case (.quarter, _): SQLFragment("to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q')")
        default: SQLFragment("to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY')")
        }
    }
}
