import Foundation
import PassageCore
import Testing

/// The "Must show" properties of issue 6 that need no database: small cells, zeros, totals,
/// repeated and overlapping tables, DP noise, microdata k-anonymity.
@Suite("Disclosure control")
struct DisclosureTests {
    static let sexes = ["female", "male", "other", "unknown"]

    /// A random table of `rows` records over an open and a closed dimension, with record keys.
    static func randomRecords(_ count: Int, areas: Int, using random: inout SplitMix64) -> [(
        area: String, sex: String, key: UInt32
    )] {
        (0..<count).map { _ in
            // Skewed: a few big areas and many small ones, so small cells are common.
            let area = "XX-A\(min(random.below(areas), random.below(areas)))"
            return (area, sexes[random.below(2)], UInt32(truncatingIfNeeded: random.next()))
        }
    }

    static func table(_ records: [(area: String, sex: String, key: UInt32)]) -> CountTable {
        var cells: [[String]: CountCell] = [:]
        for record in records {
            var cell =
                cells[[record.area, record.sex]] ?? CountCell(values: [record.area, record.sex], count: 0, cellKey: 0)
            cell.count += 1
            cell.cellKey = cell.cellKey &+ record.key
            cells[cell.values] = cell
        }
        return CountTable(
            dimensions: [CountDimension(name: "area"), CountDimension(name: "sex", domain: sexes)],
            cells: Array(cells.values))
    }

    @Test("perturbation table: noise within ±D, never below −n, mean zero for every count")
    func perturbationTable() {
        let perturbation = CellKeyPerturbation(maximumNoise: 3, variance: 2)
        for count in 1...12 {
            let distribution = perturbation.distribution(count: count)
            #expect(distribution.allSatisfy { $0.noise >= -min(count, 3) && $0.noise <= 3 })
            let mean = distribution.reduce(0.0) { $0 + Double($1.noise) * $1.probability }
            let total = distribution.reduce(0.0) { $0 + $1.probability }
            #expect(abs(mean) < 1e-6, "count \(count): mean \(mean)")
            #expect(abs(total - 1) < 1e-6)
        }
        #expect(perturbation.noise(count: 0, cellKey: 12345) == 0)
        // Every key maps somewhere inside the range, including the extremes.
        for key: UInt32 in [0, 1, .max / 2, .max - 1, .max] {
            #expect((-3...3).contains(perturbation.noise(count: 7, cellKey: key)))
        }
    }

    @Test("over random exports with k from 5 to 22 no published count is in 1…k−1, and zeros look like small counts")
    func noSmallCounts() throws {
        var random = SplitMix64(seed: 20_261_129)
        for trial in 0..<200 {
            let k = 5 + trial % 18
            let records = Self.randomRecords(20 + random.below(400), areas: 2 + random.below(30), using: &random)
            let published = try Disclosure.publish(
                Self.table(records), parameters: DisclosureParameters(k: k, totals: trial % 2 == 0))
            for cell in published.cells {
                if let value = cell.value { #expect(value >= k, "k=\(k) published \(value)") }
            }
            // The closed dimension lists every sex for every listed area: a row for `other`
            // exists whether or not anyone has it, and it reads exactly like a small cell.
            let listedAreas = Set(published.cells.map { $0.values[0] }).subtracting([PublishedTable.total])
            let detail = published.cells.filter { !$0.values.contains(PublishedTable.total) }
            #expect(detail.count == listedAreas.count * Self.sexes.count)
            for cell in detail where cell.values[1] == "other" || cell.values[1] == "unknown" {
                #expect(cell.suppressed && cell.value == nil)  // true zeros: suppressed, never 0
            }
        }
    }

    @Test("a true zero and a true 2 publish the same thing")
    func zeroLooksLikeSmallCount() throws {
        let table = CountTable(
            dimensions: [CountDimension(name: "sex", domain: ["female", "male"])],
            cells: [CountCell(values: ["female"], count: 2, cellKey: 0x9e37_79b9)])
        let published = try Disclosure.publish(table, parameters: DisclosureParameters(k: 5))
        #expect(
            published.cells == [
                PublishedCell(values: ["female"], value: nil), PublishedCell(values: ["male"], value: nil),
            ])
    }

    @Test("k below 5 is refused, naming k (issue 17: k = 3 published a true 1 as 3 in about 8% of single-person cells)")
    func minimumK() {
        #expect(throws: DisclosureError.invalidParameter("k must be at least 5, got 4")) {
            try Disclosure.publish(CountTable(dimensions: [], cells: []), parameters: DisclosureParameters(k: 4))
        }
    }

    /// The hand-made table of Docs/anonymisation.md: area A has 2 women (hidden) and 30 men.
    static let handMade: [(area: String, sex: String, count: Int, keys: [UInt32])] = [
        ("XX-A", "female", 2, [0x1234_5678, 0x8765_4321]),
        ("XX-A", "male", 30, (0..<30).map { UInt32($0) &* 0x9E37_79B9 &+ 0x0BAD_F00D }),
        ("XX-B", "female", 25, (0..<25).map { UInt32($0) &* 0x85EB_CA6B &+ 0x1 }),
        ("XX-B", "male", 40, (0..<40).map { UInt32($0) &* 0xC2B2_AE35 &+ 0x7 }),
    ]

    @Test("naive primary suppression leaks the hidden cell through its row total; independently keyed margins do not")
    func subtractionFromTotals() throws {
        // Naive: suppress cells under 5, publish exact totals. The attacker subtracts.
        let naiveAreaTotal = Self.handMade.filter { $0.area == "XX-A" }.reduce(0) { $0 + $1.count }
        let naiveMen = 30  // published exactly: it is not small
        #expect(naiveAreaTotal - naiveMen == 2)  // recovered exactly

        let table = CountTable(
            dimensions: [CountDimension(name: "area"), CountDimension(name: "sex", domain: ["female", "male"])],
            cells: Self.handMade.map {
                CountCell(values: [$0.area, $0.sex], count: $0.count, cellKey: CountCell.combinedKey($0.keys))
            })
        let published = try Disclosure.publish(table, parameters: DisclosureParameters(k: 5, totals: true))
        func value(_ values: [String]) -> Int? { published.cells.first { $0.values == values }?.value }
        #expect(value(["XX-A", "female"]) == nil)
        let estimate = try #require(value(["XX-A", PublishedTable.total])) - (try #require(value(["XX-A", "male"])))
        #expect(estimate != 2, "this table's keys were chosen so the difference of the noises is not 0")

        // Over many random key draws the subtraction gives the hidden value only as often as two
        // independent noises happen to agree — the attacker cannot tell when that is.
        var random = SplitMix64(seed: 7)
        var exact = 0
        let draws = 2000
        for _ in 0..<draws {
            let cells = Self.handMade.map { row in
                CountCell(
                    values: [row.area, row.sex], count: row.count,
                    cellKey: CountCell.combinedKey(
                        (0..<row.count).map { _ in UInt32(truncatingIfNeeded: random.next()) }))
            }
            let result = try Disclosure.publish(
                CountTable(dimensions: table.dimensions, cells: cells),
                parameters: DisclosureParameters(k: 5, totals: true))
            let total = result.cells.first { $0.values == ["XX-A", PublishedTable.total] }!.value!
            let men = result.cells.first { $0.values == ["XX-A", "male"] }!.value!
            if total - men == 2 { exact += 1 }
        }
        #expect(Double(exact) / Double(draws) < 0.4, "\(exact) of \(draws)")
    }

    @Test("the same table twice gives identical output; an overlapping table does not pin the hidden cell")
    func repeatedAndOverlapping() throws {
        var random = SplitMix64(seed: 99)
        let records = Self.randomRecords(300, areas: 12, using: &random)
        let first = try Disclosure.publish(Self.table(records), parameters: DisclosureParameters(k: 5))
        let second = try Disclosure.publish(
            Self.table(records.shuffled(using: &random)), parameters: DisclosureParameters(k: 5))
        #expect(first == second)

        // The by-area table overlaps the by-area-and-sex table: an area's total minus its
        // published sexes would be the hidden cell if both were exact.
        var byArea: [String: (count: Int, key: UInt32)] = [:]
        for record in records {
            byArea[record.area, default: (0, 0)].count += 1
            byArea[record.area]!.key &+= record.key
        }
        let areaTable = try Disclosure.publish(
            CountTable(
                dimensions: [CountDimension(name: "area")],
                cells: byArea.map { CountCell(values: [$0.key], count: $0.value.count, cellKey: $0.value.key) }),
            parameters: DisclosureParameters(k: 5))
        var wrong = 0
        var tried = 0
        for area in Set(records.map(\.area)) {
            let cells = first.cells.filter { $0.values[0] == area }
            let hidden = cells.filter(\.suppressed)
            guard hidden.count == 1, let total = areaTable.cells.first(where: { $0.values == [area] })?.value else {
                continue
            }
            let truth = records.filter { $0.area == area && $0.sex == hidden[0].values[1] }.count
            let guess = total - cells.compactMap(\.value).reduce(0, +)
            tried += 1
            if guess != truth { wrong += 1 }
        }
        #expect(tried == 0 || wrong > 0, "at least one subtraction misses when any is possible")
    }

    @Test(
        "differential privacy: two-sided geometric noise, symmetric, with the variance 2α/(1−α)²; suppression still holds"
    )
    func geometric() throws {
        var random = SplitMix64(seed: 3)
        let noise = GeometricNoise(epsilon: 0.5)
        let samples = (0..<100_000).map { _ in noise.sample(using: &random) }
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        let variance = samples.reduce(0.0) { $0 + pow2(Double($1) - mean) } / Double(samples.count)
        let alpha = exp(-0.5)
        #expect(abs(mean) < 0.05)
        #expect(abs(variance / (2 * alpha / pow2(1 - alpha)) - 1) < 0.05)

        let records = Self.randomRecords(500, areas: 10, using: &random)
        let published = try Disclosure.publish(
            Self.table(records), parameters: DisclosureParameters(k: 7, epsilon: 1), randomness: &random)
        #expect(published.cells.allSatisfy { $0.value == nil || $0.value! >= 7 })
        #expect(published.protections.contains { $0.name == "differential_privacy" })
        #expect(DisclosureParameters(k: 5, epsilon: 0.5, totals: true).epsilonSpent(dimensionCount: 2) == 2.0)
    }

    @Test("every output names its protections with parameters")
    func protectionsNamed() throws {
        let published = try Disclosure.publish(Self.table([]), parameters: DisclosureParameters(k: 6))
        let summaries = published.protections.map(\.summary)
        #expect(summaries.contains("cell_key_perturbation D=3 V=2.0 key=sum_of_record_keys_mod_2^32"))
        #expect(summaries.contains("small_cell_suppression k=6 zeros=suppressed rows=full_cross_product"))
    }

    @Test("microdata: every quasi-identifier combination shared by at least k records; l-diversity when asked")
    func microdata() throws {
        var random = SplitMix64(seed: 11)
        let bands = ["0-4", "5-11", "12-17", "18-59", "60+"]
        let categories = ["refugee_asylum", "idp", "migrant_worker", "trafficked"]
        let records = (0..<2000).map { _ in
            MicrodataRecord(
                quasiIdentifiers: [
                    bands[random.below(5)], Self.sexes[random.below(3)], "C\(random.below(25))",
                    "XX-\(random.below(40))", "2026-\(String(format: "%02d", 1 + random.below(12)))",
                ],
                sensitive: categories[min(random.below(4), random.below(4))])
        }
        let quasi = [
            QuasiIdentifier(name: "age_band", generalisation: .ageBand),
            QuasiIdentifier(name: "sex", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "origin", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "area", generalisation: .subdivision),
            QuasiIdentifier(name: "month", generalisation: .month),
        ]
        for (k, l) in [(11, nil), (5, 2), (20, 3)] as [(Int, Int?)] {
            let result = try MicrodataAnonymiser.anonymise(
                records, quasiIdentifiers: quasi, sensitiveColumn: l == nil ? nil : "category",
                parameters: MicrodataParameters(k: k, lDiversity: l))
            var groups: [[String]: (size: Int, sensitive: Set<String>)] = [:]
            for row in result.rows {
                let key = Array(row.prefix(quasi.count))
                groups[key, default: (0, [])].size += 1
                if l != nil { groups[key]!.sensitive.insert(row[quasi.count]) }
            }
            #expect(groups.values.allSatisfy { $0.size >= k }, "k=\(k)")
            if let l { #expect(groups.values.allSatisfy { $0.sensitive.count >= l }, "l=\(l)") }
            #expect(result.rows.count + result.droppedRecords == records.count)
            #expect(result.rows.count > records.count / 2, "most records survive")
        }
        #expect(Generalisation.month.generalise("2026-08", level: 1) == "2026-Q3")
        #expect(Generalisation.subdivision.generalise("CO-ANT", level: 1) == "CO")
        #expect(Generalisation.ageBand.generalise("60+", level: 1) == "18+")
    }
}

extension DisclosureTests {
    @Test(
        "microdata: global re-identification risk below 1% (recomputed from the rows), k ≥ 11 and l ≥ 2 still hold, origin and category kept where the risk allows; refused when no suppression gets below the threshold"
    )
    func microdataRisk() throws {
        var random = SplitMix64(seed: 17)
        let bands = ["0-4", "5-11", "12-17", "18-59", "60+"]
        let categories = ["refugee_asylum", "idp", "migrant_worker", "trafficked"]
        let origins = ["SY", "AF", "VE", "SS", "UA", "CD", "MM", "ER"]
        let records = (0..<3000).map { _ in
            MicrodataRecord(
                quasiIdentifiers: [
                    bands[random.below(5)], Self.sexes[random.below(3)], origins[min(random.below(8), random.below(8))],
                    "XX-\(random.below(12))", "2026-\(String(format: "%02d", 1 + random.below(12)))",
                    categories[min(random.below(4), random.below(4))],
                ],
                sensitive: categories[random.below(4)])
        }
        let quasi = [
            QuasiIdentifier(name: "age_band", generalisation: .ageBand),
            QuasiIdentifier(name: "sex", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "origin", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "area", generalisation: .subdivision),
            QuasiIdentifier(name: "month", generalisation: .month),
            QuasiIdentifier(name: "category", generalisation: .valueOrSuppressed),
        ]
        for l in [nil, 2] as [Int?] {
            let columns = l == nil ? quasi : Array(quasi.prefix(5))
            let input =
                l == nil
                ? records
                : records.map {
                    MicrodataRecord(
                        quasiIdentifiers: Array($0.quasiIdentifiers.prefix(5)), sensitive: $0.quasiIdentifiers[5])
                }
            let result = try MicrodataAnonymiser.anonymise(
                input, quasiIdentifiers: columns, sensitiveColumn: l == nil ? nil : "category",
                parameters: MicrodataParameters(k: 11, lDiversity: l))
            var groups: [[String]: (size: Int, sensitive: Set<String>)] = [:]
            for row in result.rows {
                let key = Array(row.prefix(columns.count))
                groups[key, default: (0, [])].size += 1
                if l != nil { groups[key]!.sensitive.insert(row[columns.count]) }
            }
            let risk = Double(groups.count) / Double(result.rows.count)  // mean of 1/size over records
            #expect(risk < 0.01 && abs(risk - result.globalRisk) < 1e-9, "risk \(risk), reported \(result.globalRisk)")
            #expect(groups.values.allSatisfy { $0.size >= 11 })
            if let l { #expect(groups.values.allSatisfy { $0.sensitive.count >= l }) }
            #expect(result.protections.contains { $0.name == "reidentification_risk" })
            // Origin is kept for most records (it is what the data are used for).
            let originKept = result.rows.filter { $0[2] != Generalisation.suppressed }.count
            #expect(originKept * 2 > result.rows.count, "origin kept in \(originKept) of \(result.rows.count)")
        }
        #expect(throws: DisclosureError.self) {
            try MicrodataAnonymiser.anonymise(
                Array(records.prefix(50)), quasiIdentifiers: quasi, parameters: MicrodataParameters(k: 11))
        }
    }
}

private func pow2(_ x: Double) -> Double { x * x }
