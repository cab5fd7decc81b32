import Foundation
import Testing
@testable import PassageCore

/// Properties that must hold for every case, checked on a few thousand seeded random cases.
@Suite struct PropertyTests {
    static let count = 4000

    static func cases(seed: UInt64) -> [CaseFacts] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { RandomFacts.facts($0, &generator) }
    }

    static let classifier = Classifier()

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theSameFactsAlwaysGiveTheSameBytes(seed: UInt64) throws {
        let first = Self.cases(seed: seed).map { Self.classifier.classify($0).resultJSON }
        let second = Self.cases(seed: seed).map { Self.classifier.classify($0).resultJSON }
        #expect(first == second)
        // …and so does a fresh classifier, and the facts after a trip through canonical JSON.
        for (facts, expected) in zip(Self.cases(seed: seed), first) {
            let decoded = try CaseFacts.decode(jsonLine: facts.canonicalJSON)
            #expect(decoded == facts)
            #expect(Classifier().classify(decoded).resultJSON == expected)
        }
    }

    @Test(arguments: [4, 5] as [UInt64])
    func categoriesThatExcludeEachOtherNeverMeet(seed: UInt64) {
        for facts in Self.cases(seed: seed) {
            let categories = Set(Self.classifier.classify(facts).categories)
            #expect(!(categories.contains(.idp) && categories.contains(.refugeeAsylum)), "\(facts.canonicalJSON)")
            #expect(!(categories.contains(.migrantWorker) && categories.contains(.refugeeAsylum)), "\(facts.canonicalJSON)")
            #expect(!(categories.contains(.idp) && categories.contains(.migrantWorker)), "\(facts.canonicalJSON)")
        }
    }

    @Test(arguments: [6, 7] as [UInt64])
    func aChildWithActAndPurposeIsAlwaysTrafficked(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for var facts in Self.cases(seed: seed) {
            let ageAtAct = generator.int(in: 0...17)
            var trafficking = facts.traffickingDetails ?? Trafficking()
            if trafficking.acts?.isEmpty ?? true { trafficking.acts = [generator.pick(TraffickingAct.self)] }
            if trafficking.purposes?.isEmpty ?? true { trafficking.purposes = [.forcedLabour] }
            if generator.bool() {
                trafficking.ageAtAct = ageAtAct
                if let age = facts.age, age < ageAtAct { facts.age = ageAtAct }
            } else {
                trafficking.ageAtAct = nil
                facts.age = ageAtAct
            }
            facts.trafficking = .value(trafficking)
            let result = Self.classifier.classify(facts)
            #expect(result.primary == .trafficked, "\(facts.canonicalJSON)")
            #expect(result.subcategory(of: .trafficked) == .trafficked(.child))
            #expect(result.basis(of: .trafficked) == [.palermo3c])
        }
    }

    @Test(arguments: [8, 9] as [UInt64])
    func smugglingAloneIsNeverTrafficking(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for var facts in Self.cases(seed: seed) {
            let withSmuggling = { () -> Classification in
                facts.smuggled = true
                return Self.classifier.classify(facts)
            }()
            facts.smuggled = false
            let withoutSmuggling = Self.classifier.classify(facts)
            facts.smuggled = nil
            // The smuggled fact changes nothing at all …
            #expect(withSmuggling == withoutSmuggling)
            #expect(Self.classifier.classify(facts) == withoutSmuggling)
            // … and without trafficking facts there is no trafficking, smuggled or not.
            facts.trafficking = generator.bool() ? nil : .null
            facts.smuggled = true
            #expect(!Self.classifier.classify(facts).categories.contains(.trafficked))
        }
    }

    @Test(arguments: [13, 14] as [UInt64])
    func theStreamWritesExactlyTheResultLines(seed: UInt64) {
        // The stream reuses the bytes of lines of the same shape; they must equal a fresh write.
        let cases = Self.cases(seed: seed)
        let input = cases.map(\.canonicalJSON).joined(separator: "\n") + "\n"
        var stream = ClassificationStream()
        var output: [UInt8] = []
        var errors = 0
        stream.feed(Array(input.utf8), into: &output) { _ in errors += 1 }
        stream.finish(into: &output) { _ in errors += 1 }
        let expected = cases.map { Self.classifier.classify($0).resultJSON + "\n" }.joined()
        #expect(errors == 0)
        #expect(String(decoding: output, as: UTF8.self) == expected)
    }

    @Test func aHandBuiltClassificationOutOfOrderIsWrittenAsGiven() {
        let odd = Classification(ref: "h", findings: [.init(.idp(.conflict), basis: [.guidingPrinciples2]),
                                                      .init(.trafficked(.adult), basis: [.palermo3a])],
                                 regular: nil, institutional: nil, review: false, notes: [], missing: [])
        #expect(odd.shapeCode == nil)
        #expect(odd.resultJSON.contains(#""categories":["idp","trafficked"]"#))
    }

    @Test func theGeneratorReachesEveryOutcome() {
        var primaries = Set<String>()
        var notes = Set<ClassificationNote>()
        for facts in Self.cases(seed: 12) {
            let result = Self.classifier.classify(facts)
            primaries.insert(result.primaryID)
            notes.formUnion(result.notes)
        }
        #expect(primaries == Set(MovementCategory.allCases.map(\.rawValue) + ["unclassified"]))
        #expect(notes == Set(ClassificationNote.allCases))
    }

    @Test(arguments: [10, 11] as [UInt64])
    func theResultIsInternallyConsistent(seed: UInt64) throws {
        for facts in Self.cases(seed: seed) {
            let result = Self.classifier.classify(facts)
            // precedence order, primary first
            #expect(result.categories == result.categories.sorted())
            #expect(Set(result.categories).count == result.categories.count)
            #expect(result.primary == result.categories.first)
            #expect(result.findings.allSatisfy { !$0.basis.isEmpty })
            // review exactly when the contract says
            let unspecified = result.subcategory(of: .migrantWorker) == .migrantWorker(.unspecified)
            let reviewNotes = result.notes.contains(.exclusionClause) || result.notes.contains(.meansMissingAdult)
            #expect(result.review == (result.findings.isEmpty || reviewNotes || unspecified))
            // regular and institutional only for migrant workers
            if !result.categories.contains(.migrantWorker) {
                #expect(result.regular == nil && result.institutional == nil)
            } else {
                #expect(result.regular == facts.employmentDetails?.authorized)
                #expect(result.institutional == facts.employmentDetails?.sponsored)
            }
            // missing: sorted, and beyond crossed_border only when nothing applies
            #expect(result.missing == result.missing.sorted())
            #expect(result.missing.contains(.crossedBorder) == (Outside.determine(for: facts) == nil))
            if !result.findings.isEmpty { #expect(result.missing.allSatisfy { $0 == .crossedBorder }) }
            // notes in the order the rules are written
            #expect(result.notes == ClassificationNote.allCases.filter(result.notes.contains))
            // the line is JSON with the contract's keys in order
            let line = result.resultJSON
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["ref"] as? String == facts.ref)
            let keys = ["ref", "primary", "categories", "subcategories", "basis", "regular", "institutional", "review", "notes", "missing"]
            let positions = keys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == keys.count && positions == positions.sorted())
            #expect(!line.contains(" "))
        }
    }
}
