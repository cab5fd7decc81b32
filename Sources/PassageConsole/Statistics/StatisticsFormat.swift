import PassageCore

/// The three output formats of STATS and `passage export` (contract: one row per cell, the `by`
/// dimensions in order, then `count` — empty when suppressed — and `suppressed`). CSV and HXL
/// are PassageCore's `StatisticsText`, which the HTTP API also answers with; JSON lines are the
/// console's own reply form.
public enum StatisticsFormat: String, Sendable, CaseIterable {
    case hxl, csv, json

    /// The data lines: CSV (with, for HXL, the hashtag row under the header) or one JSON object
    /// per cell. `pcodes` adds HXL's P-code column (PCodeMapping).
    public func lines(_ export: StatisticsExport, pcodes: PCodeMapping? = nil) -> [String] {
        let table = export.table
        switch self {
        case .csv, .hxl:
            return StatisticsText.csvLines(export, hxl: self == .hxl, pcodes: pcodes)
        case .json:
            return table.cells.map { cell in
                var fields = zip(table.dimensions, cell.values).map { ReplyField($0.0, .string($0.1)) }
                fields.append(ReplyField("count", cell.value.map { .int($0) } ?? .null))
                fields.append(ReplyField("suppressed", .bool(cell.suppressed)))
                return JSONText.object(fields)
            }
        }
    }

    /// The protections as one JSON array (the final line's `protections` key in JSON mode).
    public static func protectionsJSON(_ protections: [AppliedProtection]) -> String {
        "["
            + protections.map { protection in
                JSONText.object(
                    [ReplyField("name", .string(protection.name))]
                        + protection.parameters.map { ReplyField($0.name, .string($0.value)) })
            }.joined(separator: ",") + "]"
    }
}
