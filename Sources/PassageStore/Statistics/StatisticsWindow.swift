import Foundation
import PassageCore

/// The time window an export counts: whole months from `from=` to `to=` (both inclusive; a day
/// given is widened to its month, since dates are published no finer than a month), never past
/// the release cutoff.
struct StatisticsWindow: Sendable, Equatable {
    var start: Date?
    /// Exclusive: the earlier of the month after `to=` and the release cutoff.
    var end: Date

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    init(from: String?, to: String?, cutoff: Date) throws {
        start = try from.map { try Self.monthStart(of: $0, argument: "from") }
        var end = cutoff
        if let to {
            let afterTo = Self.utc.date(byAdding: .month, value: 1, to: try Self.monthStart(of: to, argument: "to"))!
            end = min(end, afterTo)
        }
        self.end = end
        if let start, start >= end {
            if let to, try Self.monthStart(of: to, argument: "to") < start {
                throw StoreError.invalid(argument: "to", message: "to must not be before from")
            }
        }
    }

    /// `2026-03` or `2026-03-17` → 2026-03-01T00:00Z.
    static func monthStart(of text: String, argument: String) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), (1970...9999).contains(year), (1...12).contains(month),
            parts.count == 2 || (parts[2].count == 2 && Int(parts[2]).map { (1...31).contains($0) } == true)
        else {
            throw StoreError.invalid(
                argument: argument, message: "\(argument) must be a date as YYYY-MM or YYYY-MM-DD, got \(text)")
        }
        return utc.date(from: DateComponents(year: year, month: month, day: 1))!
    }

    /// The period labels inside the window when it is bounded on both sides (then the period
    /// dimensions are closed lists: an empty month still gets its rows), or nil.
    func periodLabels(_ dimension: StatisticsDimension) -> [String]? {
        guard let start, start < end else { return start == nil ? nil : [] }
        var labels: [String] = []
        var month = start
        while month < end, labels.count <= 1200 {
            let parts = Self.utc.dateComponents([.year, .month], from: month)
            let label: String
            switch dimension {
            case .month: label = String(format: "%04d-%02d", parts.year!, parts.month!)
            case .quarter: label = String(format: "%04d-Q%d", parts.year!, (parts.month! - 1) / 3 + 1)
            case .year: label = String(format: "%04d", parts.year!)
            default: return nil
            }
            if labels.last != label { labels.append(label) }
            month = Self.utc.date(byAdding: .month, value: 1, to: month)!
        }
        return labels
    }

    var description: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return "\(start.map { formatter.string(from: $0) } ?? "start")..\(formatter.string(from: end))"
    }
}
