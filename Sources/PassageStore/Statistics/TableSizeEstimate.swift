import Foundation
import PassageCore

/// How many rows a STATS or GAPS table could have, from its dimensions' cardinalities, before
/// anything is counted. An oversized request is refused here, without a query on the counted
/// tables: refusing it only after the count (as `Disclosure` does, which stays as the second
/// check) let one analyst hold a connection for seconds and the server's memory at a gigabyte.
///
/// A closed dimension has its code list's size; a period over a bounded window its labels; an
/// open dimension (origin, area, …) the planner's estimate of its distinct values plus one for
/// `unknown`, but no more than the counted rows can list (an open value is listed only when its
/// total, after noise of at most D, reaches k). A dimension the planner knows nothing about
/// counts as one: the estimate never refuses what it cannot size, and the check after counting
/// still holds.
public enum TableSizeEstimate {
    /// Rows of the full cross product; with margins, every subset of dimensions too, which is
    /// the product of (cardinality + 1).
    public static func rows(_ cardinalities: [Double], totals: Bool) -> Double {
        cardinalities.reduce(1.0) { $0 * max(1, $1 + (totals ? 1 : 0)) }
    }

    /// An open dimension over `column` of the counted table `table`.
    static func open(
        _ column: String, countedIn table: String, _ statistics: PlannerStatistics, parameters: DisclosureParameters
    ) -> Double {
        guard let distinct = statistics.distinct[column] else { return 1 }
        let values = distinct + 1
        guard let rows = statistics.rows[table] else { return values }
        let smallestListed = Double(max(1, parameters.k - parameters.maximumNoise))
        return max(1, min(values, (rows / smallestListed).rounded(.up)))
    }

    /// Periods between the earliest time of `column` and `end`: months, quarters or years.
    static func periods(_ unit: Calendar.Component, from earliest: Date?, to end: Date) -> Double {
        guard let earliest, earliest < end else { return 1 }
        let calendar = StatisticsWindow.utc
        let months = Double(calendar.dateComponents([.month], from: earliest, to: end).month ?? 0) + 2
        switch unit {
        case .month: return months
        case .quarter: return (months / 3).rounded(.up) + 1
        default: return (months / 12).rounded(.up) + 1
        }
    }

    /// The refusal, naming `by` (the argument to change), when `rows` exceeds the limit.
    static func check(_ rows: Double, limit: Int) throws {
        guard rows > Double(limit) else { return }
        let shown = rows >= 1e12 ? "more than 10^12" : String(Int(rows.rounded()))
        throw StoreError.invalid(
            argument: "by",
            message:
                "the table could have \(shown) cells, more than the limit of \(limit): ask for fewer dimensions or a shorter window (refused before counting)"
        )
    }
}
