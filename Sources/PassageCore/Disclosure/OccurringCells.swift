extension Disclosure {
    /// The rows of `publish(table, parameters:)` whose combination of values occurs in `table`,
    /// in the same order and with the same published values, without building the cross product.
    ///
    /// Every other row of the full answer is a combination no counted row has: a true zero,
    /// which the cell-key method leaves at zero and suppression then blanks. A caller that leaves
    /// suppressed rows out anyway (GAPS drops rows whose every count is suppressed) therefore
    /// shows exactly what it would have shown from the full table; the padding rows matter only
    /// where suppressed rows are shown, as STATS and `passage export` do. The listed values, the
    /// noise and the refusal of an oversized table are those of `publish`.
    ///
    /// Only for the cell-key method without margins: with `dp=ε` a true zero can be published
    /// (that is what hides it), and margins are cells of their own, so both are refused here.
    public static func publishOccurring(_ table: CountTable, parameters: DisclosureParameters) throws(DisclosureError)
        -> PublishedTable
    {
        let parameters = try parameters.validated()
        guard parameters.epsilon == nil else {
            throw .invalidParameter("occurring cells only: dp noise can publish a true zero")
        }
        guard !parameters.totals else {
            throw .invalidParameter("occurring cells only: margins are not published this way")
        }
        let cells = try mergedCells(table)
        let perturbation = CellKeyPerturbation(
            maximumNoise: parameters.maximumNoise, variance: parameters.noiseVariance)
        let listed = listedValues(table.dimensions, cells: cells, perturbation: perturbation, k: parameters.k)
        _ = try checkedRowCount(listed, parameters)

        // A combination's place in the cross product is its values' places in their lists,
        // compared dimension by dimension; unlisted values have no place and no row.
        let places = listed.map { values in
            Dictionary(values.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var found: [(place: [Int], values: [String], value: Int?)] = []
        found.reserveCapacity(cells.count)
        search: for (values, cell) in cells {
            var place: [Int] = []
            place.reserveCapacity(values.count)
            for (dimension, value) in values.enumerated() {
                guard let index = places[dimension][value] else { continue search }
                place.append(index)
            }
            let noisy = perturbation.perturbed(count: cell.count, cellKey: cell.key)
            found.append((place, values, noisy >= parameters.k ? noisy : nil))
        }
        found.sort { $0.place.lexicographicallyPrecedes($1.place) }
        return PublishedTable(
            dimensions: table.dimensions.map(\.name),
            cells: found.map { PublishedCell(values: $0.values, value: $0.value) },
            protections: protections(parameters, perturbation: perturbation))
    }
}
