/// A table of true counts, as the database grouped them, before any disclosure control.
///
/// Each cell carries its *cell key*: the sum of the `record_key`s of the rows it counts, modulo
/// 2^32 (`sum(record_key) % 4294967296` in SQL). The key is what makes the cell-key perturbation
/// consistent: the same rows always give the same key, hence the same published value.
public struct CountTable: Sendable, Equatable {
    public var dimensions: [CountDimension]
    public var cells: [CountCell]

    public init(dimensions: [CountDimension], cells: [CountCell]) {
        self.dimensions = dimensions
        self.cells = cells
    }
}

/// One `by=` dimension of a table.
public struct CountDimension: Sendable, Equatable {
    /// The name as the user wrote it (`origin`, `age_band`, …): the output's column header.
    public var name: String
    /// The dimension's full code list when it is closed (sex, age band, category, …): every value
    /// gets a row whether or not it occurs, so a missing row never says "nobody". `nil` for open
    /// dimensions (countries, areas): their values are those that occur, and a value is listed
    /// only when its own perturbed total reaches k, so a listed value never reveals that a rare
    /// kind of person exists.
    public var domain: [String]?

    public init(name: String, domain: [String]? = nil) {
        self.name = name
        self.domain = domain
    }
}

/// One cell: its dimension values (in the table's dimension order), its true count and its key.
public struct CountCell: Sendable, Equatable {
    public var values: [String]
    public var count: Int
    public var cellKey: UInt32

    public init(values: [String], count: Int, cellKey: UInt32) {
        self.values = values
        self.count = count
        self.cellKey = cellKey
    }
}

extension CountCell {
    /// The key of a cell made of several cells' rows: the sum of their keys modulo 2^32, exactly
    /// what SQL computes for the merged group.
    public static func combinedKey<S: Sequence>(_ keys: S) -> UInt32 where S.Element == UInt32 {
        keys.reduce(UInt32(0)) { $0 &+ $1 }
    }
}
