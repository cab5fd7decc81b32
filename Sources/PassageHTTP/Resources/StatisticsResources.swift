import Foundation
import PassageCore
import PassageServices

/// `GET /v1/statistics` in JSON: the published table (one cell per combination of the listed
/// values, `count` null — never 0 — when suppressed), what it counts, the release it reads, the
/// privacy budget spent, and every protection applied.
struct StatisticsResource: Encodable, Sendable {
    let export: StatisticsExport

    enum Keys: String, CodingKey {
        case of, dimensions, filters, window, release, cells, protections
        case epsilonSpent = "epsilon_spent"
        case budgetLeft = "budget_left"
    }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(export.unit.rawValue, forKey: .of)
        try out.encode(export.table.dimensions, forKey: .dimensions)
        try out.encode(
            Dictionary(export.filters.map { ($0.dimension, $0.value) }, uniquingKeysWith: { first, _ in first }),
            forKey: .filters)
        try out.encode(export.window, forKey: .window)
        try out.encode(export.release, forKey: .release)
        try out.encode(export.epsilonSpent, forKey: .epsilonSpent)
        try out.encode(export.budgetLeft, forKey: .budgetLeft)
        try out.encode(
            export.table.cells.map { CellResource(dimensions: export.table.dimensions, cell: $0) }, forKey: .cells)
        try out.encode(export.table.protections.map(ProtectionResource.init), forKey: .protections)
    }

    /// One published cell: its dimension values by name, and its count or null when suppressed.
    struct CellResource: Encodable, Sendable {
        let dimensions: [String]
        let cell: PublishedCell

        enum Keys: String, CodingKey { case values, count, suppressed }

        func encode(to encoder: any Encoder) throws {
            var out = encoder.container(keyedBy: Keys.self)
            try out.encode(
                Dictionary(zip(dimensions, cell.values).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }),
                forKey: .values)
            // Explicitly null: a suppressed cell is not a zero and must not be read as one.
            try out.encode(cell.value, forKey: .count)
            try out.encode(cell.suppressed, forKey: .suppressed)
        }

        static let schema = JSONSchema.object(
            [
                (
                    "values",
                    .map(
                        values: .string(),
                        description: "the cell's value of each dimension; `total` where a margin sums over it")
                ),
                (
                    "count",
                    .nullable(
                        .integer(
                            description:
                                "the published (perturbed) count; null when suppressed — never 0 for a hidden cell",
                            minimum: 0))
                ),
                ("suppressed", .boolean()),
            ], required: ["values", "count", "suppressed"])
    }

    static let schema = JSONSchema.object(
        [
            ("of", .string(description: "what is counted", choices: CountedUnit.allCases.map(\.rawValue))),
            ("dimensions", .array(of: .string(), description: "the `by` dimensions, in the order asked")),
            ("filters", .map(values: .string(), description: "dimension values fixed for the whole table")),
            ("window", .string(description: "the rows counted: recorded in [start, end)")),
            ("release", .string(description: "the release read: its cutoff date (rows recorded before it)")),
            (
                "epsilon_spent",
                .number(description: "differential-privacy budget this table spent (0 without a policy)")
            ),
            ("budget_left", .nullable(.number(description: "the release's budget left, under a policy"))),
            ("cells", .array(of: CellResource.schema)),
            ("protections", .array(of: ProtectionResource.schema, description: "every protection applied")),
        ],
        required: [
            "of", "dimensions", "filters", "window", "release", "epsilon_spent", "budget_left", "cells", "protections",
        ])
}

/// `GET /v1/exports/microdata` in JSON: the anonymised rows, and the protections with the risk report.
struct MicrodataResource: Encodable, Sendable {
    let export: MicrodataExport

    enum Keys: String, CodingKey {
        case columns, rows, window, protections
        case globalRisk = "global_risk"
        case suppressedValues = "suppressed_values"
        case droppedRecords = "dropped_records"
    }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(export.microdata.columns, forKey: .columns)
        try out.encode(export.microdata.rows, forKey: .rows)
        try out.encode(export.window, forKey: .window)
        try out.encode(export.microdata.globalRisk, forKey: .globalRisk)
        try out.encode(export.microdata.suppressedValues, forKey: .suppressedValues)
        try out.encode(export.microdata.droppedRecords, forKey: .droppedRecords)
        try out.encode(export.protections.map(ProtectionResource.init), forKey: .protections)
    }

    static let schema = JSONSchema.object(
        [
            ("columns", .array(of: .string(), description: "quasi-identifiers, then the sensitive column if any")),
            (
                "rows",
                .array(
                    of: .array(of: .string()),
                    description: "one per case kept, values in the columns' order; `*` where generalised away")
            ),
            ("window", .string(description: "the rows counted: recorded in [start, end)")),
            ("global_risk", .number(description: "mean re-identification risk of the rows (below 0.01)")),
            ("suppressed_values", .integer(description: "values replaced by `*` in single records")),
            ("dropped_records", .integer(description: "records left out because their group stayed too small")),
            ("protections", .array(of: ProtectionResource.schema, description: "every protection applied")),
        ],
        required: ["columns", "rows", "window", "global_risk", "suppressed_values", "dropped_records", "protections"])

    /// The release a stored file belongs to (its `microdata_release` protection), for the header.
    static func release(of export: MicrodataExport) -> String? {
        export.protections.first { $0.name == "microdata_release" }?.parameters.first { $0.name == "release" }?.value
    }
}
