/// The CSV and HXL forms of a published GAPS table (the HTTP API's `text/csv` answers and the
/// web pages' downloads): the columns' names, for HXL the hashtag row under them, then one line
/// per row; a count or figure not shown is an empty field, never 0.
public enum GapsText {
    public static func csvLines(_ published: PublishedGaps, kind: GapKind, hxl: Bool) -> [String] {
        var lines = [CSVCell.line(published.columns.map(\.name))]
        if hxl { lines.append(CSVCell.line(hxlRow(published.columns, kind: kind))) }
        for row in published.rows {
            // A provider's name is outside text: CSVCell neutralises one that would run as a formula.
            lines.append(CSVCell.line(row.map(field)))
        }
        return lines
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
    /// organisation (`#org+provider`); counts as `#affected` of what the kind counts (needs or
    /// referrals) with the column's name as attribute (`#affected+needs+unmet`); the registry's
    /// providers and capacity as `#capacity`; shares and times as numeric indicators
    /// (`#indicator+num+median_hours`); words as `#status+gap` or `#meta+<name>`.
    public static func hxlRow(_ columns: [GapColumn], kind: GapKind) -> [String] {
        let counted = GapDimension.unit(of: kind) == .need ? "#affected+needs" : "#affected+referrals"
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
