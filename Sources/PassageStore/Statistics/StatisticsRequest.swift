import PassageCore

/// One aggregate export as asked for (STATS or `passage export`), validated.
public struct StatisticsRequest: Sendable, Equatable {
    public var unit: CountedUnit
    public var dimensions: [StatisticsDimension]
    public var parameters: DisclosureParameters
    /// Fixed values (`category=refugee_asylum sex=female`): the rows of the table grouped also by
    /// these dimensions whose values match, so a filtered table publishes exactly the cells of the
    /// unfiltered one (same rows, same keys, same noise) and filtering reveals nothing new.
    public var filters: [StatisticsFilter]
    /// `YYYY-MM` or `YYYY-MM-DD`, widened to whole months.
    public var from: String?
    public var to: String?

    /// Validates the user's words: `of` (cases|needs|referrals), `by` (comma-separated
    /// dimensions), `k`, `dp` (ε), `totals`, `from`, `to`. Errors name the argument.
    public init(
        of unitName: String? = nil, by: String? = nil, k: Int? = nil, dp: Double? = nil, totals: Bool = false,
        from: String? = nil, to: String? = nil, filters: [(dimension: String, value: String)] = []
    ) throws {
        // Issue 17: ε is the organisation's policy (`passage privacy-policy`), not the asker's choice.
        guard dp == nil else {
            throw StoreError.invalid(
                argument: "dp",
                message:
                    "differential privacy is set per organisation by an administrator (passage privacy-policy), not per request"
            )
        }
        var dimensions: [StatisticsDimension] = []
        if let by, !by.isEmpty {
            for name in by.split(separator: ",", omittingEmptySubsequences: false) {
                let dimension = try StatisticsDimension.parse(String(name))
                guard !dimensions.contains(dimension) else {
                    throw StoreError.invalid(argument: "by", message: "\(name) appears twice")
                }
                dimensions.append(dimension)
            }
        }
        guard dimensions.count <= 6 else {
            throw StoreError.invalid(argument: "by", message: "at most 6 dimensions, got \(dimensions.count)")
        }
        let unit: CountedUnit
        if let unitName {
            guard let named = CountedUnit(rawValue: unitName.lowercased()) else {
                throw StoreError.invalid(
                    argument: "of", message: "of must be cases, needs or referrals, got \(unitName)")
            }
            unit = named
            if let misfit = dimensions.first(where: { !$0.unitsAllowed.contains(unit) }) {
                throw StoreError.invalid(
                    argument: "by",
                    message:
                        "\(misfit.rawValue) does not apply to \(unit.rawValue); use of=\(misfit.unitsAllowed.contains(.needs) ? "needs or of=referrals" : "referrals")"
                )
            }
        } else {
            unit = CountedUnit.implied(by: dimensions)
        }
        var parsedFilters: [StatisticsFilter] = []
        for (name, value) in filters {
            let dimension = try StatisticsDimension.parse(name)
            guard dimension.unitsAllowed.contains(unit) else {
                throw StoreError.invalid(
                    argument: name.lowercased(), message: "\(name) does not apply to \(unit.rawValue)")
            }
            guard !parsedFilters.contains(where: { $0.dimension == dimension }) else {
                throw StoreError.invalid(argument: name.lowercased(), message: "\(name) is given twice")
            }
            parsedFilters.append(StatisticsFilter(dimension: dimension, value: value))
        }
        guard dimensions.count + parsedFilters.filter({ !dimensions.contains($0.dimension) }).count <= 8 else {
            throw StoreError.invalid(argument: "by", message: "at most 8 dimensions and filters together")
        }
        let parameters = DisclosureParameters(k: k ?? DisclosureParameters.defaultK, epsilon: dp, totals: totals)
        do {
            _ = try parameters.validated()
        } catch {
            throw StoreError(error)
        }
        self.unit = unit
        self.dimensions = dimensions
        self.parameters = parameters
        self.filters = parsedFilters
        self.from = from
        self.to = to
    }

    /// The parameters as written in the audit log and the output's meta lines.
    var summary: String {
        var words = [
            "of=\(unit.rawValue)", "by=\(dimensions.map(\.rawValue).joined(separator: ","))", "k=\(parameters.k)",
        ]
        if let epsilon = parameters.epsilon { words.append("dp=\(epsilon)") }
        if parameters.totals { words.append("totals=yes") }
        for filter in filters { words.append("\(filter.dimension.rawValue)=\(filter.value)") }
        if let from { words.append("from=\(from)") }
        if let to { words.append("to=\(to)") }
        return words.joined(separator: " ")
    }
}

/// One fixed dimension value of a filtered table.
public struct StatisticsFilter: Sendable, Equatable {
    public var dimension: StatisticsDimension
    public var value: String
}
