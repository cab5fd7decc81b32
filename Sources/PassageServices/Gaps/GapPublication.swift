import PassageCore
import PassageStore

/// Publishes a gap table through the disclosure control (`Disclosure.publish`, one table per
/// measure): what GAPS may show (`PublishedGaps`).
enum GapPublication {
    /// Small closed code lists: listed whole, whether or not a value occurs (as STATS does), so
    /// a missing value never says "nobody". Other dimensions list only values whose perturbed
    /// total reaches k.
    static let domains: [String: [String]] = [
        // The primary categories, in the order STATS and the console list them.
        "category": [MovementCategory.migrantWorker, .refugeeAsylum, .idp, .trafficked].map(\.rawValue),
        "sex": Sex.allCases.map(\.rawValue),
        "age_band": ["0-4", "5-11", "12-17", "18-59", "60+"],
        "freedom": ["fear", "want"],
        "priority": Priority.allCases.map(\.rawValue),
        "referral_status": ReferralStatus.allCases.map(\.rawValue),
    ]

    /// The released value of each needed cell of one measure (issue 17): given the measure's
    /// name, the dimension names and the cells it needs (detail cells and open values' totals,
    /// with true counts and keys), the values of the release (`ReleaseCells`, threshold update).
    typealias Released = (
        _ measure: String, _ dimensions: [String], _ needed: [[String]: (count: Int, key: UInt32)]
    ) -> [[String]: Int?]

    static func publish(
        _ table: GapTable, parameters: DisclosureParameters = DisclosureParameters(),
        released: Released? = nil
    ) throws(DisclosureError) -> PublishedGaps {
        switch table.kind {
        case .unmet: return try unmet(table, parameters, released)
        case .overdue: return try overdue(table, parameters, released)
        case .coverage: return try coverage(table, parameters, released)
        case .outcomes: return try outcomes(table, parameters, released)
        }
    }

    /// Published values of one measure by dimension values (absent: not listed, so suppressed).
    struct Measure {
        var values: [[String]: Int?]
        var order: [[String]]
        subscript(_ key: [String]) -> Int? { values[key] ?? nil }
    }

    static func measure(
        _ name: String, of table: GapTable, dimensions: [String]? = nil, _ parameters: DisclosureParameters,
        _ released: Released? = nil
    ) throws(DisclosureError) -> (Measure, [AppliedProtection]) {
        let names = dimensions ?? table.dimensions
        let indexes = names.map { name in table.dimensions.firstIndex(of: name) ?? 0 }
        let cells = table.rows.compactMap { row -> CountCell? in
            guard let count = row.counts[name] else { return nil }
            return CountCell(values: indexes.map { row.values[$0] }, count: count.count, cellKey: count.key)
        }
        let countTable = CountTable(
            dimensions: names.map { CountDimension(name: $0, domain: domains[$0]) }, cells: cells)
        if let released {
            // From the release: the cells' released values, the rows that occur.
            let values = released(name, names, try ReleasedTable.neededCells(countTable, totals: false))
            let full = try ReleasedTable.build(countTable, parameters: parameters, released: values)
            let occurring = Set(try Disclosure.mergedCells(countTable).filter { $0.value.count > 0 }.keys)
            let shown = full.cells.filter { occurring.contains($0.values) }
            var byValues: [[String]: Int?] = [:]
            for cell in shown { byValues.updateValue(cell.value, forKey: cell.values) }
            let perturbation = CellKeyPerturbation(
                maximumNoise: parameters.maximumNoise, variance: parameters.noiseVariance)
            return (
                Measure(values: byValues, order: shown.map(\.values)),
                Disclosure.protections(parameters, perturbation: perturbation) + [releaseChange]
            )
        }
        // GAPS leaves out rows whose every count is suppressed, so the cross product's padding
        // (true zeros, always suppressed) would only be built to be dropped.
        let published = try Disclosure.publishOccurring(countTable, parameters: parameters)
        var values: [[String]: Int?] = [:]
        for cell in published.cells { values[cell.values] = cell.value }
        return (Measure(values: values, order: published.cells.map(\.values)), published.protections)
    }

    static func ratio(_ part: Int?, _ whole: Int?) -> GapCell {
        guard let part, let whole, whole > 0 else { return .figure(nil) }
        return .figure((Double(part) / Double(whole) * 1000).rounded() / 1000)
    }

    /// A time shown beside a count: withheld with it, and rounded to whole days (24 h), so one
    /// person's waiting time moves a median or a p90 only when it moves it by half a day or more
    /// (issue 17; the times of a release are frozen with its counts).
    static func hours(_ figure: Double?, shownWith count: Int?) -> GapCell {
        guard let figure, count != nil else { return .figure(nil) }
        return .figure((figure / timeRounding).rounded() * timeRounding)
    }

    static let timeRounding = 24.0

    /// A part shown beside its whole never exceeds it: shown only when the whole is, and at
    /// most the whole (post-processing of two published values, so it discloses nothing new;
    /// the true part never exceeds the true whole, only their independent noise did).
    static func part(_ part: Int?, of whole: Int?) -> Int? {
        guard let part, let whole else { return nil }
        return min(part, whole)
    }

    static let releaseChange = AppliedProtection(
        name: "release_change",
        parameters: [
            ProtectionParameter("rule", "threshold_update"),
            ProtectionParameter("held_below", "\(DisclosureParameters.minimumK)"),
        ])

    static let consistency = AppliedProtection(
        name: "consistent_parts",
        parameters: [
            ProtectionParameter("part", "at_most_its_whole"), ProtectionParameter("shown", "only_with_its_whole"),
            ProtectionParameter("times", "rounded_to_24h_withheld_with_their_count"),
        ])

    // MARK: kinds

    static func unmet(_ table: GapTable, _ parameters: DisclosureParameters, _ released: Released? = nil)
        throws(DisclosureError) -> PublishedGaps
    {
        let (identified, protections) = try measure("identified", of: table, parameters, released)
        let referred = try measure("referred", of: table, parameters, released).0
        let met = try measure("met", of: table, parameters, released).0
        let unmet = try measure("unmet", of: table, parameters, released).0
        var rows: [[GapCell]] = []
        for key in identified.order {
            let whole = identified[key]
            let counts = [
                whole, part(referred[key], of: whole), part(met[key], of: whole), part(unmet[key], of: whole),
            ]
            guard counts.contains(where: { $0 != nil }) else { continue }
            rows.append(key.map { .text($0) } + counts.map { .count($0) } + [ratio(counts[3], whole)])
        }
        return PublishedGaps(
            columns: GapColumn.columns(of: .unmet, dimensions: table.dimensions), rows: rows,
            protections: protections + [consistency], k: parameters.k)
    }

    static func overdue(_ table: GapTable, _ parameters: DisclosureParameters, _ released: Released? = nil)
        throws(DisclosureError) -> PublishedGaps
    {
        let (overdue, protections) = try measure("overdue", of: table, parameters, released)
        let figures = Dictionary(table.rows.map { ($0.values, $0.figures) }, uniquingKeysWith: { first, _ in first })
        var rows: [[GapCell]] = []
        for key in overdue.order {
            guard let count = overdue[key] else { continue }
            rows.append(
                key.map { .text($0) } + [
                    .count(count), hours(figures[key]?["median_hours_late"], shownWith: count),
                    hours(figures[key]?["p90_hours_late"], shownWith: count),
                ])
        }
        return PublishedGaps(
            columns: GapColumn.columns(of: .overdue, dimensions: table.dimensions), rows: rows,
            protections: protections + [consistency], k: parameters.k)
    }

    /// A pair is a gap when its published open-needs count is shown (at least k) and either no
    /// active provider offers the service there or the count exceeds their stated capacity.
    static func gap(openNeeds: Int?, providers: Int, capacity: Int?) -> String? {
        guard let openNeeds else { return nil }
        if providers == 0 { return "no_provider" }
        if let capacity, openNeeds > capacity { return "over_capacity" }
        return nil
    }

    static func coverage(_ table: GapTable, _ parameters: DisclosureParameters, _ released: Released? = nil)
        throws(DisclosureError) -> PublishedGaps
    {
        let pairDimensions = ["area", "service"]
        let (pairs, protections) = try measure(
            "open_needs", of: table, dimensions: pairDimensions, parameters, released)
        var registry: [[String]: (providers: Int, capacity: Int?)] = [:]
        for row in table.rows {
            registry[Array(row.values.prefix(2))] = (row.registry["providers"] ?? 0, row.registry["capacity"])
        }
        var gaps: [[String]: String] = [:]
        for pair in pairs.order {
            // A pair with no open needs at all has no registry row; it is never a gap.
            guard let supply = registry[pair],
                let verdict = gap(
                    openNeeds: pairs[pair], providers: supply.providers,
                    capacity: supply.capacity)
            else { continue }
            gaps[pair] = verdict
        }
        let split = table.dimensions.count > 2 ? try measure("open_needs", of: table, parameters, released).0 : pairs
        var rows: [[GapCell]] = []
        for key in split.order {
            let pair = Array(key.prefix(2))
            guard let verdict = gaps[pair], let supply = registry[pair] else { continue }
            let count = split[key]
            if table.dimensions.count > 2 && count == nil { continue }
            rows.append(
                key.map { .text($0) } + [
                    .count(count), .count(supply.providers), .count(supply.capacity), .text(verdict),
                ])
        }
        return PublishedGaps(
            columns: GapColumn.columns(of: .coverage, dimensions: table.dimensions), rows: rows,
            protections: protections, k: parameters.k)
    }

    static func outcomes(_ table: GapTable, _ parameters: DisclosureParameters, _ released: Released? = nil)
        throws(DisclosureError) -> PublishedGaps
    {
        let (referred, protections) = try measure("referred", of: table, parameters, released)
        var published: [String: Measure] = [:]
        for name in table.measures { published[name] = try measure(name, of: table, parameters, released).0 }
        let figures = Dictionary(table.rows.map { ($0.values, $0.figures) }, uniquingKeysWith: { first, _ in first })
        var rows: [[GapCell]] = []
        for key in referred.order {
            guard let total = referred[key] else { continue }
            let labels = key.map { GapCell.text($0) }
            for name in table.measures {
                let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
                let count = name == "referred" ? total : part(published[name]?[key], of: total)
                // Reason lines only when their count is shown: the list of reasons is open.
                if parts.count == 2 && count == nil { continue }
                let figure = figures[key] ?? [:]
                let (median, p90): (GapCell, GapCell) =
                    switch name {
                    case "accepted":
                        (
                            hours(figure["median_hours_to_accept"], shownWith: count),
                            hours(figure["p90_hours_to_accept"], shownWith: count)
                        )
                    case "completed":
                        (
                            hours(figure["median_hours_to_complete"], shownWith: count),
                            hours(figure["p90_hours_to_complete"], shownWith: count)
                        )
                    default: (.figure(nil), .figure(nil))
                    }
                rows.append(
                    labels + [
                        .text(parts[0]), .text(parts.count == 2 ? parts[1] : ""), .count(count),
                        name == "referred" ? .figure(nil) : ratio(count, total), median, p90,
                    ])
            }
        }
        return PublishedGaps(
            columns: GapColumn.columns(of: .outcomes, dimensions: table.dimensions), rows: rows,
            protections: protections + [consistency], k: parameters.k)
    }
}
