import Foundation

/// The text forms of a published table, written once for every interface: the console's STATS
/// (`format=csv|hxl` and its `250-protection:` lines), `passage export`, and the HTTP API's
/// `text/csv` answers; every cell through CSVCell (contract: one row per cell, the `by` dimensions in order, then `count` —
/// empty when suppressed — and `suppressed`).
public enum StatisticsText {
    /// The CSV lines of `export`: the header, for HXL the hashtag row under it, then one line per cell.
    /// HXL adds the place-code columns HDX joins on (HXLPlaceColumns: ISO3, P-codes with `pcodes`).
    public static func csvLines(_ export: StatisticsExport, hxl: Bool, pcodes: PCodeMapping? = nil) -> [String] {
        let table = export.table
        let names = table.dimensions + ["count", "suppressed"]
        let rows = table.cells.map { cell in
            cell.values + [cell.value.map(String.init) ?? "", cell.suppressed ? "true" : "false"]
        }
        guard hxl else { return [CSVCell.line(names)] + rows.map(CSVCell.line) }
        let widened = HXLPlaceColumns.table(names: names, tags: hxlRow(export), rows: rows, pcodes: pcodes)
        return [CSVCell.line(widened.names), CSVCell.line(widened.tags)] + widened.rows.map(CSVCell.line)
    }

    /// The HXL hashtags of `export`'s columns; filters that fix a category, sex or age band for
    /// the whole table become attributes of the count's tag (`#affected+ind+refugees+f+total`).
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
