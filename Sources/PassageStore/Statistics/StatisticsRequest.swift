import PassageCore

/// One aggregate export as asked for (STATS or `passage export`), validated.
public struct StatisticsRequest: Sendable, Equatable {
    public var unit: CountedUnit
    public var dimensions: [StatisticsDimension]
    public var parameters: DisclosureParameters
    /// `YYYY-MM` or `YYYY-MM-DD`, widened to whole months.
    public var from: String?
    public var to: String?

    /// Validates the user's words: `of` (cases|needs|referrals), `by` (comma-separated
    /// dimensions), `k`, `dp` (ε), `totals`, `from`, `to`. Errors name the argument.
    public init(of unitName: String? = nil, by: String? = nil, k: Int? = nil, dp: Double? = nil, totals: Bool = false,
                from: String? = nil, to: String? = nil) throws {
        var dimensions: [StatisticsDimension] = []
        if let by, !by.isEmpty {
            for name in by.split(separator: ",", omittingEmptySubsequences: false) {
                let dimension = try StatisticsDimension.parse(String(name))
                guard !dimensions.contains(dimension) else { throw StoreError.invalid("by: \(name) appears twice") }
                dimensions.append(dimension)
            }
        }
        guard dimensions.count <= 6 else { throw StoreError.invalid("by: at most 6 dimensions, got \(dimensions.count)") }
        let unit: CountedUnit
        if let unitName {
            guard let named = CountedUnit(rawValue: unitName.lowercased()) else {
                throw StoreError.invalid("of must be cases, needs or referrals, got \(unitName)")
            }
            unit = named
            if let misfit = dimensions.first(where: { !$0.unitsAllowed.contains(unit) }) {
                throw StoreError.invalid("by: \(misfit.rawValue) does not apply to \(unit.rawValue); use of=\(misfit.unitsAllowed.contains(.needs) ? "needs or of=referrals" : "referrals")")
            }
        } else {
            unit = CountedUnit.implied(by: dimensions)
        }
        let parameters = DisclosureParameters(k: k ?? DisclosureParameters.defaultK, epsilon: dp, totals: totals)
        do {
            _ = try parameters.validated()
        } catch {
            throw StoreError.invalid("\(error)")
        }
        self.unit = unit
        self.dimensions = dimensions
        self.parameters = parameters
        self.from = from
        self.to = to
    }

    /// The parameters as written in the audit log and the output's meta lines.
    var summary: String {
        var words = ["of=\(unit.rawValue)", "by=\(dimensions.map(\.rawValue).joined(separator: ","))", "k=\(parameters.k)"]
        if let epsilon = parameters.epsilon { words.append("dp=\(epsilon)") }
        if parameters.totals { words.append("totals=yes") }
        if let from { words.append("from=\(from)") }
        if let to { words.append("to=\(to)") }
        return words.joined(separator: " ")
    }
}
