import PassageCore

/// What the gap queries return: true counts with their cell keys, before any disclosure
/// control (the console publishes them through PassageCore's `Disclosure`, never as they are).

/// One count: how many rows, and the cell key `sum(record_key) % 2^32` of exactly those rows.
public struct GapCount: Sendable, Equatable {
    public var count: Int
    public var key: UInt32

    public init(count: Int, key: UInt32) {
        self.count = count
        self.key = key
    }
}

/// One group: its dimension values (in the table's order), its counts by measure, figures
/// derived from the same rows (median and 90th-percentile times, in hours) and, for coverage,
/// facts of the public provider registry (active providers, stated capacity).
public struct GapRow: Sendable, Equatable {
    public var values: [String]
    public var counts: [String: GapCount]
    public var figures: [String: Double]
    public var registry: [String: Int]

    public init(
        values: [String], counts: [String: GapCount], figures: [String: Double] = [:], registry: [String: Int] = [:]
    ) {
        self.values = values
        self.counts = counts
        self.figures = figures
        self.registry = registry
    }
}

public struct GapTable: Sendable, Equatable {
    public var kind: GapKind
    /// Column names of `values`, in order.
    public var dimensions: [String]
    /// The count measures, in output order (`identified`, `referred`, …).
    public var measures: [String]
    /// Each figure and the measure whose rows it describes: shown only when that count is.
    public var figures: [(name: String, measure: String)]
    public var rows: [GapRow]

    public init(
        kind: GapKind, dimensions: [String], measures: [String], figures: [(name: String, measure: String)],
        rows: [GapRow]
    ) {
        self.kind = kind
        self.dimensions = dimensions
        self.measures = measures
        self.figures = figures
        self.rows = rows
    }

    public static func == (lhs: GapTable, rhs: GapTable) -> Bool {
        lhs.kind == rhs.kind && lhs.dimensions == rhs.dimensions && lhs.measures == rhs.measures
            && lhs.figures.map(\.name) == rhs.figures.map(\.name)
            && lhs.figures.map(\.measure) == rhs.figures.map(\.measure)
            && lhs.rows == rhs.rows
    }

    /// The row with these dimension values (tests and the console's lookups).
    public func row(_ values: String...) -> GapRow? { rows.first { $0.values == values } }
}
