import Foundation

/// The text forms of a published table, written once for every interface: the console's STATS
/// (`format=csv|hxl` and its `250-protection:` lines), `passage export`, and the HTTP API's
/// `text/csv` answers; every cell through CSVCell (contract: one row per cell, the `by` dimensions in order, then `count` —
/// empty when suppressed — and `suppressed`).
public enum StatisticsText {
    /// The CSV lines of `export`: the header, for HXL the hashtag row under it, then one line per cell.
    public static func csvLines(_ export: StatisticsExport, hxl: Bool) -> [String] {
        let table = export.table
        var lines = [CSVCell.line(table.dimensions + ["count", "suppressed"])]
        if hxl { lines.append(CSVCell.line(hxlRow(export))) }
        for cell in table.cells {
            lines.append(CSVCell.line(cell.values + [cell.value.map(String.init) ?? "", cell.suppressed ? "true" : "false"]))
        }
        return lines
    }

    /// The HXL hashtags of `export`'s columns; filters that fix a category, sex or age band for
    /// the whole table become attributes of the count's tag (`#affected+refugees+f+total`).
    public static func hxlRow(_ export: StatisticsExport) -> [String] {
        let attributes = export.filters.flatMap { HXLTags.attribute(dimension: $0.dimension, value: $0.value) }
        return HXLTags.row(dimensions: export.table.dimensions, unit: export.unit, attributes: attributes)
    }

    /// The lines of anonymised microdata as CSV: the columns, then one line per record.
    public static func microdataLines(_ export: MicrodataExport) -> [String] {
        [CSVCell.line(export.microdata.columns)] + export.microdata.rows.map(CSVCell.line)
    }

    /// `protection: cell_key_perturbation D=3 V=2.0 …`, one per protection (console info lines,
    /// the command line's standard error).
    public static func protectionLines(_ protections: [AppliedProtection]) -> [String] {
        protections.map { "protection: " + $0.summary }
    }
}
