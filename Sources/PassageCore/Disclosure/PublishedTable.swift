/// A table after disclosure control: what may leave Passage.
public struct PublishedTable: Sendable, Equatable {
    /// Column names of the dimensions, in the order asked for.
    public var dimensions: [String]
    /// One row per cell of the full cross product of the listed values (closed dimensions: their
    /// whole code list), then — when totals were asked for — the margins, whose dimension values
    /// are `PublishedTable.total` where summed over.
    public var cells: [PublishedCell]
    /// Every protection applied, with its parameters, for the output's header or meta row.
    public var protections: [AppliedProtection]

    /// The dimension value of a margin row where the dimension was summed over.
    public static let total = "total"

    public init(dimensions: [String], cells: [PublishedCell], protections: [AppliedProtection]) {
        self.dimensions = dimensions
        self.cells = cells
        self.protections = protections
    }
}

/// One published cell. `value` is nil exactly when `suppressed` is true.
public struct PublishedCell: Sendable, Equatable {
    public var values: [String]
    public var value: Int?
    public var suppressed: Bool { value == nil }

    public init(values: [String], value: Int?) {
        self.values = values
        self.value = value
    }
}

/// A protection that was applied, named as in Docs/anonymisation.md, with its parameters in a
/// fixed order (for instance `cell_key` with `D=3`, `V=2`).
public struct AppliedProtection: Sendable, Equatable {
    public var name: String
    public var parameters: [ProtectionParameter]

    public init(name: String, parameters: [ProtectionParameter]) {
        self.name = name
        self.parameters = parameters
    }

    /// `cell_key D=3 V=2`: the form used in console info lines and the CSV meta comment.
    public var summary: String {
        ([name] + parameters.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }
}

public struct ProtectionParameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
