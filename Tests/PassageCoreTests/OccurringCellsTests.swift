import PassageCore
import Testing

/// `Disclosure.publishOccurring` is the full publication less its padding: the same rows, in the
/// same order, with the same values, for exactly the combinations the table counts.
@Suite("Disclosure control: occurring cells only")
struct OccurringCellsTests {
    static let priorities = ["emergency", "urgent", "normal"]

    /// A random table over an open dimension (skewed, so many values are rare and unlisted), a
    /// closed one (some of whose values never occur) and a second open one, with some cells
    /// repeated (they merge) and some counted as zero.
    static func randomTable(using random: inout SplitMix64) -> CountTable {
        let providers = 2 + random.below(40)
        let areas = 1 + random.below(12)
        var cells: [CountCell] = []
        for _ in 0..<(1 + random.below(300)) {
            let provider = "provider \(min(random.below(providers), random.below(providers)))"
            let priority = priorities[min(random.below(3), random.below(3))]
            let area = "XX-\(random.below(areas))"
            cells.append(
                CountCell(
                    values: [provider, priority, area], count: random.below(9),
                    cellKey: UInt32(truncatingIfNeeded: random.next())))
        }
        return CountTable(
            dimensions: [
                CountDimension(name: "provider"), CountDimension(name: "priority", domain: priorities),
                CountDimension(name: "area"),
            ], cells: cells)
    }

    @Test("over random tables and k from 5 to 14: the full cross product's rows for the combinations counted, in order")
    func equalsFullPublicationLessPadding() throws {
        var random = SplitMix64(seed: 7_2026_1129)
        for trial in 0..<300 {
            let table = Self.randomTable(using: &random)
            let parameters = DisclosureParameters(k: 5 + trial % 10)
            let full = try Disclosure.publish(table, parameters: parameters)
            let occurring = try Disclosure.publishOccurring(table, parameters: parameters)
            let counted = Set(table.cells.map(\.values))
            #expect(occurring.cells == full.cells.filter { counted.contains($0.values) }, "trial \(trial)")
            #expect(occurring.dimensions == full.dimensions)
            #expect(occurring.protections == full.protections)
            // The padding it leaves out is never shown: every row not counted is suppressed.
            #expect(full.cells.allSatisfy { counted.contains($0.values) || $0.suppressed }, "trial \(trial)")
        }
    }

    @Test("an oversized cross product is refused as publish refuses it, even when few cells occur")
    func refusesWhatPublishRefuses() throws {
        let cells = (0..<30).map { index in
            CountCell(values: ["p\(index)", "a\(index)"], count: 40, cellKey: UInt32(index) &* 2_654_435_761)
        }
        let table = CountTable(
            dimensions: [CountDimension(name: "provider"), CountDimension(name: "area")], cells: cells)
        let parameters = DisclosureParameters(maximumCells: 100)
        #expect(throws: DisclosureError.tooManyCells(900, limit: 100)) {
            try Disclosure.publish(table, parameters: parameters)
        }
        #expect(throws: DisclosureError.tooManyCells(900, limit: 100)) {
            try Disclosure.publishOccurring(table, parameters: parameters)
        }
    }

    @Test("dp noise and margins are refused: there a true zero or a margin can be shown")
    func refusesDifferentialPrivacyAndMargins() {
        let table = CountTable(
            dimensions: [CountDimension(name: "area")], cells: [CountCell(values: ["XX-1"], count: 9, cellKey: 1)])
        #expect(throws: DisclosureError.self) {
            try Disclosure.publishOccurring(table, parameters: DisclosureParameters(epsilon: 1))
        }
        #expect(throws: DisclosureError.self) {
            try Disclosure.publishOccurring(table, parameters: DisclosureParameters(totals: true))
        }
    }
}
