import Foundation
import Testing
@testable import PassageCore

/// The contract's public examples must come out byte for byte.
@Suite struct PublicExamplesTests {
    static let spec = TestFiles.sharedSpec

    @Test func theSharedExamplesAreFound() throws {
        let spec = try #require(Self.spec, "shared/spec/examples.jsonl not found above \(TestFiles.testsDirectory.path)")
        let pairs = try TestFiles.pairs(input: spec.appendingPathComponent("examples.jsonl"),
                                        expected: spec.appendingPathComponent("examples.expected.jsonl"))
        #expect(pairs.count == 13)
    }

    @Test func everyExampleLineIsByteIdentical() throws {
        let spec = try #require(Self.spec)
        let pairs = try TestFiles.pairs(input: spec.appendingPathComponent("examples.jsonl"),
                                        expected: spec.appendingPathComponent("examples.expected.jsonl"))
        let classifier = Classifier()
        for (input, expected) in pairs {
            let facts = try CaseFacts.decode(jsonLine: input)
            #expect(classifier.classify(facts).resultJSON == expected)
        }
    }

    @Test func theWholeFileStreamsToTheExpectedFile() throws {
        let spec = try #require(Self.spec)
        let input = try TestFiles.bytes(of: spec.appendingPathComponent("examples.jsonl"))
        let expected = try TestFiles.bytes(of: spec.appendingPathComponent("examples.expected.jsonl"))
        var stream = ClassificationStream()
        var output: [UInt8] = []
        var errors: [ClassificationStream.LineError] = []
        stream.feed(input, into: &output) { errors.append($0) }
        stream.finish(into: &output) { errors.append($0) }
        #expect(errors.isEmpty)
        #expect(output == expected)
    }
}

/// The team's own vignettes: inputs with results worked out by hand from the contract's rules.
@Suite struct VignetteTests {
    static func load() throws -> [(input: String, expected: String)] {
        try TestFiles.pairs(input: TestFiles.fixture("vignettes.jsonl"),
                            expected: TestFiles.fixture("vignettes.expected.jsonl"))
    }

    @Test func thereAreAtLeastFortyVignettes() throws {
        #expect(try Self.load().count >= 40)
    }

    @Test func everyVignetteIsByteIdentical() throws {
        let classifier = Classifier()
        for (input, expected) in try Self.load() {
            let facts = try CaseFacts.decode(jsonLine: input)
            let result = classifier.classify(facts).resultJSON
            #expect(result == expected, "\(facts.ref)")
        }
    }

    @Test func theVignettesCoverEveryCategorySubcategoryBasisAndNote() throws {
        let classifier = Classifier()
        var subcategories = Set<String>()
        var bases = Set<LegalBasis>()
        var notes = Set<ClassificationNote>()
        var missing = Set<MissingFact>()
        for (input, _) in try Self.load() {
            let result = classifier.classify(try CaseFacts.decode(jsonLine: input))
            subcategories.formUnion(result.findings.map(\.subcategory.description))
            bases.formUnion(result.findings.flatMap(\.basis))
            notes.formUnion(result.notes)
            missing.formUnion(result.missing)
        }
        #expect(subcategories.count == 10)
        #expect(bases == Set(LegalBasis.allCases))
        #expect(notes == Set(ClassificationNote.allCases))
        #expect(missing == Set(MissingFact.allCases))
    }
}
