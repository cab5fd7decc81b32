/// The standard reports agencies exchange each month (REPORT, `passage export --report`), laid
/// out from published STATS tables of one release — never from raw rows, so each figure is a
/// published cell (or a margin published with its own perturbation) with the release's
/// protections. Docs/anonymisation.md "Standard reports".
public enum ReportKind: String, CaseIterable, Sendable {
    /// GBVIMS-style monthly statistics: needs identified (incidents) by type and sex, and
    /// referrals made by service type and sex.
    case gbvims
    /// UNHCR's population-statistics layout: cases by origin, by sex and age band (0-4, 5-11,
    /// 12-17, 18-59, 60+), with totals.
    case population
    /// Referral-pathway performance by service type: referrals made, answered in time, answered
    /// late, not answered (Docs/referrals.md "Answered in time"), and each status.
    case referrals

    /// The STATS tables the report reads, each named; every one with `totals=yes` (margins).
    public var queries: [ReportQuery] {
        switch self {
        case .gbvims:
            [
                ReportQuery(name: "incidents", of: "needs", by: ["need", "sex"]),
                ReportQuery(name: "referrals", of: "referrals", by: ["service", "sex"]),
            ]
        case .population: [ReportQuery(name: "population", of: "cases", by: ["origin", "sex", "age_band"])]
        case .referrals:
            [
                ReportQuery(name: "pathway", of: "referrals", by: ["service", "referral_status"]),
                ReportQuery(name: "response", of: "referrals", by: ["service", "referral_response"]),
            ]
        }
    }

    public var title: String {
        switch self {
        case .gbvims: "monthly incident and referral statistics (GBVIMS style)"
        case .population: "population by origin, sex and age band (UNHCR layout)"
        case .referrals: "referral pathway performance"
        }
    }
}

/// One STATS table a report reads: what is counted and by which dimensions, with margins.
public struct ReportQuery: Sendable, Equatable {
    public var name: String
    public var of: String
    public var by: [String]

    public init(name: String, of: String, by: [String]) {
        self.name = name
        self.of = of
        self.by = by
    }
}

/// A laid-out report: its columns and rows (text and counts; a count not shown is empty).
public struct ReportTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SpreadsheetCell]]

    public init(columns: [String], rows: [[SpreadsheetCell]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The CSV form: header, then one line per row, every cell through CSVCell; counts as
    /// integers, an empty cell an empty field.
    public var csvLines: [String] {
        [CSVCell.line(columns)]
            + rows.map { row in
                CSVCell.line(
                    row.map { cell in
                        switch cell {
                        case .text(let text): text
                        case .number(let number): number.rounded() == number ? String(Int(number)) : String(number)
                        case .empty: ""
                        }
                    })
            }
    }
}

/// The layouts: published cells looked up by their dimension values (`total` where a margin sums
/// over a dimension). A figure that is not a published cell is never computed.
public enum ReportLayout {
    public static let sexes = ["female", "male", "other", "unknown"]
    public static let ageBands = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"]

    public static func table(_ kind: ReportKind, _ tables: [String: PublishedTable]) -> ReportTable {
        switch kind {
        case .gbvims: gbvims(tables)
        case .population: population(tables["population"])
        case .referrals: referrals(tables["pathway"], response: tables["response"])
        }
    }

    /// `section, code, female, male, other, unknown, total`: needs identified by need code, then
    /// referrals made by service type; each section ends with its `total` row.
    static func gbvims(_ tables: [String: PublishedTable]) -> ReportTable {
        var rows: [[SpreadsheetCell]] = []
        for (section, name) in [("incidents", "incidents"), ("referrals", "referrals")] {
            guard let table = tables[name] else { continue }
            let cells = index(table)
            for code in values(table, at: 0) + [PublishedTable.total] {
                rows.append(
                    [.text(section), .text(code)]
                        + (sexes + [PublishedTable.total]).map { sex in
                            .count(cells[[code, sex]] ?? nil)
                        })
            }
        }
        return ReportTable(columns: ["section", "code"] + sexes + ["total"], rows: rows)
    }

    /// `origin`, then per sex the age bands and the sex's total (`female_0-4` … `female_total`),
    /// then `total`; one row per origin and a `total` row.
    static func population(_ table: PublishedTable?) -> ReportTable {
        var columns = ["origin"]
        for sex in sexes { columns += (ageBands + ["total"]).map { "\(sex)_\($0)" } }
        columns.append("total")
        guard let table else { return ReportTable(columns: columns, rows: []) }
        let cells = index(table)
        let rows = (values(table, at: 0) + [PublishedTable.total]).map { origin -> [SpreadsheetCell] in
            var row: [SpreadsheetCell] = [.text(origin)]
            for sex in sexes {
                row += (ageBands + [PublishedTable.total]).map { band in .count(cells[[origin, sex, band]] ?? nil) }
            }
            row.append(.count(cells[[origin, PublishedTable.total, PublishedTable.total]] ?? nil))
            return row
        }
        return ReportTable(columns: columns, rows: rows)
    }

    /// `service, made, answered_in_time, answered_late, not_answered, accepted, declined,
    /// completed, pending, cancelled`: `made` and the statuses from the pathway table
    /// (`service × referral_status`), the answers from the response table (`service ×
    /// referral_response`) of the same release. `made` is the service's margin, the one cell
    /// both tables hold (same identity in the release, so the same value).
    static func referrals(_ table: PublishedTable?, response: PublishedTable?) -> ReportTable {
        let statuses = ["accepted", "declined", "completed", "pending", "cancelled"]
        let answers = [("answered_in_time", "in_time"), ("answered_late", "late"), ("not_answered", "none")]
        let columns = ["service", "made"] + answers.map(\.0) + statuses
        guard let table else { return ReportTable(columns: columns, rows: []) }
        let cells = index(table)
        let answered = response.map(index) ?? [:]
        let rows = (values(table, at: 0) + [PublishedTable.total]).map { service -> [SpreadsheetCell] in
            [.text(service), .count(cells[[service, PublishedTable.total]] ?? nil)]
                + answers.map { .count(answered[[service, $0.1]] ?? nil) }
                + statuses.map { .count(cells[[service, $0]] ?? nil) }
        }
        return ReportTable(columns: columns, rows: rows)
    }

    /// The published value of each cell (nil when suppressed), by its dimension values.
    static func index(_ table: PublishedTable) -> [[String]: Int?] {
        var cells: [[String]: Int?] = [:]
        for cell in table.cells { cells[cell.values] = cell.value }
        return cells
    }

    /// The values of dimension `position` in the table's order, margins left out.
    static func values(_ table: PublishedTable, at position: Int) -> [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        for cell in table.cells where cell.values.count > position {
            let value = cell.values[position]
            if value != PublishedTable.total, seen.insert(value).inserted { ordered.append(value) }
        }
        return ordered
    }
}
