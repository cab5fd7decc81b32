import Foundation
import PassageCore

extension StatisticsStore {
    /// The rows an aggregate export grouped by `dimensions` could publish (see `TableSizeEstimate`).
    static func estimatedRows(
        _ dimensions: [StatisticsDimension], unit: CountedUnit, parameters: DisclosureParameters,
        window: StatisticsWindow, codeLists: CodeLists, statistics: PlannerStatistics
    ) -> Double {
        let counted: String
        let time: String
        switch unit {
        case .cases: (counted, time) = ("cases", "cases.created_at")
        case .needs: (counted, time) = ("needs", "needs.identified_at")
        case .referrals: (counted, time) = ("referrals", "referrals.created_at")
        }
        let cardinalities = dimensions.map { dimension -> Double in
            if let domain = dimension.domain(codeLists: codeLists) ?? window.periodLabels(dimension) {
                return Double(max(1, domain.count))
            }
            switch dimension {
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
            case .month: return TableSizeEstimate.periods(.month, from: statistics.earliest[time], to: window.end)
            case .quarter: return TableSizeEstimate.periods(.quarter, from: statistics.earliest[time], to: window.end)
            case .year: return TableSizeEstimate.periods(.year, from: statistics.earliest[time], to: window.end)
            default: return 1
            }
        }
        return TableSizeEstimate.rows(cardinalities, totals: parameters.totals)
    }
}
