/// A count table published from a release: every value comes from the release's cell states
/// (`ReleasedCell`), never from the question. The table only says which cells it needs (its
/// detail cells, its margins when asked for, and each open dimension's value totals, which
/// decide the values listed) and how to lay the released values out.
///
/// A cell is named by its dimension values with `PublishedTable.total` where summed over, and
/// identified across tables by `identity`: the same rows give the same identity whichever table
/// asks (a margin of one table is the detail cell of another, a filtered cell the cell of the
/// unfiltered table), so a release has one value per cell.
public enum ReleasedTable {
    /// The cells the table needs, with their true counts and keys.
    public static func neededCells(_ table: CountTable, totals: Bool) throws(DisclosureError) -> [[String]: (
        count: Int, key: UInt32
    )] {
        let cells = try Disclosure.mergedCells(table)
        let n = table.dimensions.count
        var needed = cells
        var masks: [Int] = []
        if totals && n > 0 {
            masks = Array(0..<((1 << n) - 1))
        } else {
            // Only an open dimension's value totals (they decide whether a value is listed).
            masks = table.dimensions.indices.filter { table.dimensions[$0].domain == nil && n > 1 }.map {
                1 << (n - 1 - $0)
            }
        }
        for mask in masks {
            for (values, cell) in cells {
                let key = values.enumerated().map {
                    mask & (1 << (n - 1 - $0.offset)) != 0 ? $0.element : PublishedTable.total
                }
                let merged = needed[key, default: (0, 0)]
                needed[key] = (merged.count + cell.count, merged.key &+ cell.key)
            }
        }
        return needed
    }

    /// The identity of a cell across tables: `dimension=value` pairs, summed-over dimensions left
    /// out, sorted, with `fixed` pairs (a window's period) added.
    public static func identity(dimensions: [String], values: [String], fixed: [(String, String)] = []) -> String {
        var pairs = fixed.map { "\($0.0)=\($0.1)" }
        for (name, value) in zip(dimensions, values) where value != PublishedTable.total {
            pairs.append("\(name)=\(value)")
        }
        return Set(pairs).sorted().joined(separator: "&")
    }

    /// The published table: closed dimensions list their code list, open ones the values whose
    /// released total is shown; every combination gets a row with its released value (a cell
    /// with no state is a true zero: suppressed); margins, when asked for, likewise.
    public static func build(
        _ table: CountTable, parameters: DisclosureParameters,
        released: [[String]: Int?]
    ) throws(DisclosureError) -> PublishedTable {
        let n = table.dimensions.count
        let cells = try Disclosure.mergedCells(table)
        let listed: [[String]] = table.dimensions.enumerated().map { index, dimension in
            let domain = dimension.domain ?? []
            let known = Set(domain)
            var others = Set<String>()
            for values in cells.keys where !known.contains(values[index]) { others.insert(values[index]) }
            let shown = others.filter { value in
                var key = Array(repeating: PublishedTable.total, count: n)
                key[index] = value
                // A one-dimension table's value total is its detail cell.
                return (released[n == 1 ? [value] : key] ?? nil) != nil
            }
            return domain + shown.sorted()
        }
        _ = try Disclosure.checkedRowCount(listed, parameters)
        var published: [PublishedCell] = []
        for combination in Disclosure.crossProduct(listed) {
            published.append(PublishedCell(values: combination, value: released[combination] ?? nil))
        }
        if parameters.totals && n > 0 {
            let subsets = (0..<((1 << n) - 1)).sorted {
                $0.nonzeroBitCount > $1.nonzeroBitCount || ($0.nonzeroBitCount == $1.nonzeroBitCount && $0 > $1)
            }
            for mask in subsets {
                let marginListed = listed.enumerated().map {
                    mask & (1 << (n - 1 - $0.offset)) != 0 ? $0.element : [PublishedTable.total]
                }
                for combination in Disclosure.crossProduct(marginListed) {
                    published.append(PublishedCell(values: combination, value: released[combination] ?? nil))
                }
            }
        }
        return PublishedTable(dimensions: table.dimensions.map(\.name), cells: published, protections: [])
    }
}
