/// The CSV and HXL forms of a published GAPS table (the HTTP API's `text/csv` answers and the
/// web pages' downloads): the columns' names, for HXL the hashtag row under them, then one line
/// per row; a count or figure not shown is an empty field, never 0.
public enum GapsText {
    /// HXL adds the place-code columns HDX joins on (HXLPlaceColumns: ISO3, P-codes with `pcodes`).
    public static func csvLines(_ published: PublishedGaps, kind: GapKind, hxl: Bool, pcodes: PCodeMapping? = nil) -> [String] {
        let names = published.columns.map(\.name)
        // A provider's name is outside text: CSVCell neutralises one that would run as a formula.
        let rows = published.rows.map { $0.map(field) }
        guard hxl else { return [CSVCell.line(names)] + rows.map(CSVCell.line) }
        let widened = HXLPlaceColumns.table(
            names: names, tags: hxlRow(published.columns, kind: kind), rows: rows, pcodes: pcodes)
        return [CSVCell.line(widened.names), CSVCell.line(widened.tags)] + widened.rows.map(CSVCell.line)
    }

    /// A cell as text: a count, a figure as the console writes it (`0.25`, `48.0`), or empty when not shown.
    public static func field(_ cell: GapCell) -> String {
        switch cell {
        case .text(let text): text
        case .count(let count): count.map(String.init) ?? ""
        case .figure(let figure): figure.map { $0.isFinite ? "\($0)" : "" } ?? ""
        }
    }

    /// HXL 1.1 hashtags of GAPS columns. Dimensions as STATS tags them (HXLTags), a provider as an
    /// organisation (`#org+provider`); counts as HXLTags counts needs (`#indicator+num+needs`) or
    /// referrals (`#output+num+referrals`) with the column's name as attribute
    /// (`#indicator+num+needs+unmet`); the registry's
    /// providers and capacity as `#capacity`; shares and times as numeric indicators
    /// (`#indicator+num+median_hours`); words as `#status+gap` or `#meta+<name>`.
    public static func hxlRow(_ columns: [GapColumn], kind: GapKind) -> [String] {
        let counted = GapDimension.unit(of: kind) == .need ? "#indicator+num+needs" : "#output+num+referrals"
        return columns.map { column in
            let name = column.name.filter { $0.isLetter || $0.isNumber || $0 == "_" }.lowercased()
            switch column.content {
            case .dimension:
                switch name {
                case "provider": return "#org+provider"
                case "priority": return "#meta+priority"
                case "freedom": return "#sector+freedom"
                default: return HXLTags.tag(dimension: name)
                }
            case .label: return name == "gap" ? "#status+gap" : "#meta+" + name
            case .count: return name == "count" ? counted : counted + "+" + name
            case .registry: return name == "capacity" ? "#capacity+num" : "#capacity+num+" + name
            case .share, .hours: return "#indicator+num+" + name
            }
        }
    }
}
