/// Disclosure control for count tables: the one implementation STATS, `passage export` and GAPS
/// share. Pure: the caller groups rows (with `sum(record_key) % 4294967296` as each cell's key),
/// this decides what may be published. Docs/anonymisation.md explains each step and its threat.
///
/// 1. Values listed: a closed dimension lists its whole code list; an open one lists only values
///    whose own perturbed total reaches k (so a row never reveals that a rare kind of person exists).
/// 2. Every combination of listed values gets a row (a missing row would say "nobody").
/// 3. Noise: the cell-key perturbation (same rows → same value, always), or, when ε is given,
///    two-sided geometric noise for ε-differential privacy.
/// 4. Every published value below k is suppressed, true zeros included, so 0 and "a few" look alike.
/// 5. Margins, when asked for, are cells in their own right: perturbed by their own keys, never
///    derived from the published cells, so subtracting published cells from a total gives no
///    hidden cell exactly.
public enum Disclosure {
    public static func publish(_ table: CountTable, parameters: DisclosureParameters) throws(DisclosureError)
        -> PublishedTable
    {
        var generator = SystemRandomNumberGenerator()
        return try publish(table, parameters: parameters, randomness: &generator)
    }

    /// As above, drawing the differential-privacy noise (only used when `parameters.epsilon` is
    /// set) from `randomness`.
    public static func publish<G: RandomNumberGenerator>(
        _ table: CountTable, parameters: DisclosureParameters,
        randomness: inout G
    ) throws(DisclosureError) -> PublishedTable {
        let parameters = try parameters.validated()
        let dimensionCount = table.dimensions.count
        let cells = try mergedCells(table)
        let cellKey = CellKeyPerturbation(maximumNoise: parameters.maximumNoise, variance: parameters.noiseVariance)
        let geometric = parameters.epsilon.map { GeometricNoise(epsilon: $0) }

        func publishedValue(count: Int, key: UInt32) -> Int? {
            let noisy: Int
            if let geometric {
                noisy = max(0, count + geometric.sample(using: &randomness))
            } else {
                noisy = cellKey.perturbed(count: count, cellKey: key)
            }
            return noisy >= parameters.k ? noisy : nil
        }

        let listed = listedValues(table.dimensions, cells: cells, perturbation: cellKey, k: parameters.k)
        let total = try checkedRowCount(listed, parameters)

        var published: [PublishedCell] = []
        published.reserveCapacity(total)
        // The detail rows: every combination of listed values, in dimension order.
        for combination in crossProduct(listed) {
            let cell = cells[combination] ?? (0, 0)
            published.append(
                PublishedCell(values: combination, value: publishedValue(count: cell.count, key: cell.key)))
        }
        if parameters.totals && dimensionCount > 0 {
            // Each proper subset of dimensions kept, from the most detailed down to the grand total.
            let subsets = (0..<((1 << dimensionCount) - 1)).sorted {
                $0.nonzeroBitCount > $1.nonzeroBitCount || ($0.nonzeroBitCount == $1.nonzeroBitCount && $0 > $1)
            }
            for mask in subsets {
                var margins: [[String]: (count: Int, key: UInt32)] = [:]
                for (values, cell) in cells {
                    let key = values.enumerated().map {
                        mask & (1 << (dimensionCount - 1 - $0.offset)) != 0 ? $0.element : PublishedTable.total
                    }
                    let merged = margins[key, default: (0, 0)]
                    margins[key] = (merged.count + cell.count, merged.key &+ cell.key)
                }
                let marginListed = listed.enumerated().map {
                    mask & (1 << (dimensionCount - 1 - $0.offset)) != 0 ? $0.element : [PublishedTable.total]
                }
                for combination in crossProduct(marginListed) {
                    let cell = margins[combination] ?? (0, 0)
                    published.append(
                        PublishedCell(values: combination, value: publishedValue(count: cell.count, key: cell.key)))
                }
            }
        }
        return PublishedTable(
            dimensions: table.dimensions.map(\.name), cells: published,
            protections: protections(parameters, perturbation: cellKey))
    }

    /// The table's cells by their values, cells with the same values merged (counts added, keys
    /// combined), after checking the table's shape.
    public static func mergedCells(_ table: CountTable) throws(DisclosureError) -> [[String]: (count: Int, key: UInt32)]
    {
        let dimensionCount = table.dimensions.count
        guard dimensionCount <= 8 else { throw .invalidParameter("at most 8 dimensions, got \(dimensionCount)") }
        var cells: [[String]: (count: Int, key: UInt32)] = [:]
        cells.reserveCapacity(table.cells.count)
        for cell in table.cells {
            guard cell.values.count == dimensionCount else {
                throw .malformedTable("a cell has \(cell.values.count) values for \(dimensionCount) dimensions")
            }
            guard cell.count >= 0 else { throw .malformedTable("a cell has a negative count") }
            let merged = cells[cell.values, default: (0, 0)]
            cells[cell.values] = (merged.count + cell.count, merged.key &+ cell.cellKey)
        }
        return cells
    }

    /// The number of rows the full cross product (and its margins) would have, refused above
    /// `maximumCells`. Saturating products: an absurd cross product must be refused, not overflow.
    static func checkedRowCount(_ listed: [[String]], _ parameters: DisclosureParameters) throws(DisclosureError) -> Int
    {
        let rowCount = listed.reduce(1) { product, values in
            let (result, overflow) = product.multipliedReportingOverflow(by: values.count)
            return overflow ? Int.max / 2 : result
        }
        let total = rowCount + (parameters.totals ? marginRowCount(listed) : 0)
        guard total <= parameters.maximumCells else { throw .tooManyCells(total, limit: parameters.maximumCells) }
        return total
    }

    /// The values each dimension lists: closed code lists whole (then any other value that
    /// passes the open rule), open dimensions only values whose perturbed total reaches k.
    static func listedValues(
        _ dimensions: [CountDimension], cells: [[String]: (count: Int, key: UInt32)],
        perturbation: CellKeyPerturbation, k: Int
    ) -> [[String]] {
        dimensions.enumerated().map { index, dimension in
            var totals: [String: (count: Int, key: UInt32)] = [:]
            for (values, cell) in cells {
                let merged = totals[values[index], default: (0, 0)]
                totals[values[index]] = (merged.count + cell.count, merged.key &+ cell.key)
            }
            let domain = dimension.domain ?? []
            let known = Set(domain)
            let others = totals.filter { value, total in
                !known.contains(value) && perturbation.perturbed(count: total.count, cellKey: total.key) >= k
            }.keys.sorted()
            return domain + others
        }
    }

    static func marginRowCount(_ listed: [[String]]) -> Int {
        let n = listed.count
        guard n > 0 else { return 0 }
        var sum = 0
        for mask in 0..<((1 << n) - 1) {
            var product = 1
            for index in 0..<n where mask & (1 << (n - 1 - index)) != 0 {
                let (result, overflow) = product.multipliedReportingOverflow(by: listed[index].count)
                product = overflow ? Int.max / 4 : min(result, Int.max / 4)
            }
            sum = min(sum + product, Int.max / 2)
        }
        return sum
    }

    static func crossProduct(_ lists: [[String]]) -> [[String]] {
        var result: [[String]] = [[]]
        for list in lists {
            result = result.flatMap { prefix in list.map { prefix + [$0] } }
        }
        return result
    }

    public static func protections(_ parameters: DisclosureParameters, perturbation: CellKeyPerturbation)
        -> [AppliedProtection]
    {
        var applied: [AppliedProtection] = []
        if let epsilon = parameters.epsilon {
            applied.append(
                AppliedProtection(
                    name: "differential_privacy",
                    parameters: [
                        ProtectionParameter("mechanism", "two_sided_geometric"),
                        ProtectionParameter("epsilon", "\(epsilon)"),
                        ProtectionParameter("unit", "counted_row"),
                    ]))
        } else {
            applied.append(
                AppliedProtection(
                    name: "cell_key_perturbation",
                    parameters: [
                        ProtectionParameter("D", "\(perturbation.maximumNoise)"),
                        ProtectionParameter("V", "\(perturbation.variance)"),
                        ProtectionParameter("key", "sum_of_record_keys_mod_2^32"),
                    ]))
        }
        applied.append(
            AppliedProtection(
                name: "small_cell_suppression",
                parameters: [
                    ProtectionParameter("k", "\(parameters.k)"), ProtectionParameter("zeros", "suppressed"),
                    ProtectionParameter("rows", "full_cross_product"),
                ]))
        applied.append(
            AppliedProtection(
                name: "open_values_listed",
                parameters: [
                    ProtectionParameter("rule", "perturbed_total_at_least_k")
                ]))
        if parameters.totals {
            applied.append(
                AppliedProtection(
                    name: "margins_perturbed_independently",
                    parameters: [
                        ProtectionParameter("key", "own_cell_key")
                    ]))
        }
        return applied
    }
}
