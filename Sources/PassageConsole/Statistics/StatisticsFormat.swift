import PassageCore
import PassageStore

/// The three output formats of STATS and `passage export` (contract: one row per cell, the `by`
/// dimensions in order, then `count` — empty when suppressed — and `suppressed`).
public enum StatisticsFormat: String, Sendable, CaseIterable {
    case hxl, csv, json

    /// The data lines: CSV (with, for HXL, the hashtag row under the header) or one JSON object
    /// per cell.
    public func lines(_ export: StatisticsExport) -> [String] {
        let table = export.table
        switch self {
        case .csv, .hxl:
            var lines = [(table.dimensions + ["count", "suppressed"]).map(Self.csvField).joined(separator: ",")]
            if self == .hxl {
                let attributes = export.filters.flatMap { HXLTags.attribute(dimension: $0.dimension, value: $0.value) }
                lines.append(
                    HXLTags.row(dimensions: table.dimensions, unit: export.unit, attributes: attributes).joined(
                        separator: ","))
            }
            for cell in table.cells {
                let fields = cell.values + [cell.value.map(String.init) ?? "", cell.suppressed ? "true" : "false"]
                lines.append(fields.map(Self.csvField).joined(separator: ","))
            }
            return lines
        case .json:
            return table.cells.map { cell in
                var fields = zip(table.dimensions, cell.values).map { ReplyField($0.0, .string($0.1)) }
                fields.append(ReplyField("count", cell.value.map { .int($0) } ?? .null))
                fields.append(ReplyField("suppressed", .bool(cell.suppressed)))
                return JSONText.object(fields)
            }
        }
    }

    /// `protection: cell_key_perturbation D=3 V=2.0 …`, one per protection, for info lines and
    /// the command line's standard error.
    public static func protectionLines(_ protections: [AppliedProtection]) -> [String] {
        protections.map { "protection: " + $0.summary }
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

    /// RFC 4180: quote a field holding a comma, quote, CR or LF, doubling quotes.
    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
