import Foundation
import Testing

@testable import PassageCore

/// The contract's public examples (v1's 13 and v2's ten `ex2-…`, kept in the repository under
/// Fixtures/contract) must come out byte for byte.
@Suite struct PublicExamplesTests {
    static let input = TestFiles.contract.appendingPathComponent("examples.jsonl")
    static let expected = TestFiles.contract.appendingPathComponent("examples.expected.jsonl")

    @Test func theRepositoryHoldsAllTwentyThreeExamples() throws {
        let pairs = try TestFiles.pairs(input: Self.input, expected: Self.expected)
        #expect(pairs.count == 23)
        #expect(pairs.filter { $0.input.hasPrefix(#"{"ref":"ex2-"#) }.count == 10)
    }

    @Test func everyExampleLineIsByteIdentical() throws {
        let pairs = try TestFiles.pairs(input: Self.input, expected: Self.expected)
        let classifier = Classifier()
        for (input, expected) in pairs {
            let facts = try CaseFacts.decode(jsonLine: input)
            #expect(classifier.classify(facts).resultJSON == expected)
        }
    }

    @Test func theWholeFileStreamsToTheExpectedFile() throws {
        let input = try TestFiles.bytes(of: Self.input)
        let expected = try TestFiles.bytes(of: Self.expected)
        var stream = ClassificationStream()
        var output: [UInt8] = []
        var errors: [ClassificationStream.LineError] = []
        stream.feed(input, into: &output) { errors.append($0) }
        stream.finish(into: &output) { errors.append($0) }
        #expect(errors.isEmpty)
        #expect(output == expected)
    }

    @Test func theVersionStringIsTheContracts() throws {
        #expect(Classifier.version == "passage-classifier/2")
        let contract = try String(
            contentsOf: TestFiles.contract.appendingPathComponent("case-facts.md"), encoding: .utf8)
        #expect(contract.contains("classifier version string **`\(Classifier.version)`**"))
    }
}

/// The team's own vignettes: inputs with results worked out by hand from the contract's rules.
/// `vignettes` were written for contract v1 (four of their results changed under v2, each as a
/// Part B change requires: v27 C4, v28, v43 C8, v62 C1); `vignettes-v2` cover each change of
/// Part B, each new note and basis, and their edges.
@Suite struct VignetteTests {
    static func load(_ name: String) throws -> [(input: String, expected: String)] {
        try TestFiles.pairs(
            input: TestFiles.fixture("\(name).jsonl"), expected: TestFiles.fixture("\(name).expected.jsonl"))
    }

    static func loadAll() throws -> [(input: String, expected: String)] {
        try load("vignettes") + load("vignettes-v2")
    }

    @Test func thereAreAtLeastFortyVersionOneAndSixtyVersionTwoVignettes() throws {
        #expect(try Self.load("vignettes").count >= 40)
        #expect(try Self.load("vignettes-v2").count >= 60)
    }

    @Test(arguments: ["vignettes", "vignettes-v2"])
    func everyVignetteIsByteIdentical(_ name: String) throws {
        let classifier = Classifier()
        var references = Set<String>()
        for (input, expected) in try Self.load(name) {
            let facts = try CaseFacts.decode(jsonLine: input)
            #expect(references.insert(facts.ref).inserted, "\(facts.ref) is used twice")
            let result = classifier.classify(facts).resultJSON
            #expect(result == expected, "\(facts.ref)")
        }
    }

    @Test func theVignettesCoverEveryCategorySubcategoryBasisNoteAndMissingFact() throws {
        let classifier = Classifier()
        var subcategories = Set<String>()
        var bases = Set<LegalBasis>()
        var notes = Set<ClassificationNote>()
        var missing = Set<MissingFact>()
        var asylumValues = Set<AsylumState>()
        var unrwaValues = Set<UNRWAStatus>()
        var capacities = Set<EmploymentCapacity>()
        for (input, _) in try Self.loadAll() {
            let facts = try CaseFacts.decode(jsonLine: input)
            let result = classifier.classify(facts)
            subcategories.formUnion(result.findings.map(\.subcategory.description))
            bases.formUnion(result.findings.flatMap(\.basis))
            notes.formUnion(result.notes)
            missing.formUnion(result.missing)
            asylumValues.insert(facts.asylumState)
            unrwaValues.insert(facts.unrwaState)
            if let capacity = facts.employmentDetails?.capacity { capacities.insert(capacity) }
        }
        #expect(subcategories.count == 10)
        #expect(bases == Set(LegalBasis.allCases))
        #expect(notes == Set(ClassificationNote.allCases))
        #expect(missing == Set(MissingFact.allCases))
        #expect(asylumValues == Set(AsylumState.allCases))
        #expect(unrwaValues == Set(UNRWAStatus.allCases))
        #expect(capacities == Set(EmploymentCapacity.allCases))
    }

    /// Part C, question 4's narrow case, in the vignettes: a foreign resident both refugee and IDP.
    @Test func aForeignResidentCanBeBothRefugeeAndIDP() throws {
        let both = try Self.load("vignettes-v2").filter {
            $0.expected.contains(#""categories":["refugee_asylum","idp"]"#)
        }
        #expect(both.count >= 2)
        for (input, _) in both {
            let facts = try CaseFacts.decode(jsonLine: input)
            #expect(
                facts.habitualResidence == facts.currentCountry && facts.nationality?.country != facts.currentCountry)
        }
    }
}
