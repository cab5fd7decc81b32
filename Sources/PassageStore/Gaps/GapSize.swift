import Foundation
import PassageCore

extension GapsStore {
    /// The rows a GAPS table grouped as `query` asks could have, per measure (see
    /// `TableSizeEstimate`); GAPS publishes with the default disclosure parameters.
    static func estimatedRows(
        _ query: GapQuery, codeLists: CodeLists, statistics: PlannerStatistics,
        parameters: DisclosureParameters = DisclosureParameters()
    ) -> Double {
        let counted = GapDimension.unit(of: query.kind) == .need ? "needs" : "referrals"
        let time =
            switch query.kind {
            case .unmet, .coverage: "needs.identified_at"
            case .overdue: "referrals.due_at"
            case .outcomes: "referrals.created_at"
            }
        let cardinalities = query.dimensions.map { dimension -> Double in
            switch dimension {
            case .category: return Double(MovementCategory.allCases.count + 1)
            case .sex: return 4
            case .ageBand: return 6
            case .freedom: return 2
            case .priority: return 3
            case .referralStatus: return 5
            case .need: return Double(max(1, codeLists.needCodes.count))
            case .service: return Double(max(1, codeLists.services.count))
            case .dimension: return Double(max(1, codeLists.dimensions.count))
            case .provider: return max(1, statistics.rows["providers"] ?? 1)
            case .subcategory:
                return TableSizeEstimate.open(
                    "cases.subcategory", countedIn: counted, statistics, parameters: parameters)
            case .origin:
                return TableSizeEstimate.open(
                    "cases.origin_country", countedIn: counted, statistics, parameters: parameters)
            case .country:
                return TableSizeEstimate.open(
                    "cases.current_country", countedIn: counted, statistics, parameters: parameters)
            case .area:
                return TableSizeEstimate.open(
                    "cases.current_area", countedIn: counted, statistics, parameters: parameters)
            case .month: return TableSizeEstimate.periods(.month, from: statistics.earliest[time], to: query.now)
            case .quarter: return TableSizeEstimate.periods(.quarter, from: statistics.earliest[time], to: query.now)
            case .year: return TableSizeEstimate.periods(.year, from: statistics.earliest[time], to: query.now)
            }
        }
        return TableSizeEstimate.rows(cardinalities, totals: false)
    }
}
