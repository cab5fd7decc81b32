import Foundation
import Testing

@testable import PassageCore

/// Properties that must hold for every case, checked on seeded random cases: the invariants of
/// contract v2 (Part C, question 4) on 100,000 cases each, the rest on a few thousand.
@Suite struct PropertyTests {
    static let count = 4000
    /// The invariants of Part C, question 4, each hold on this many cases (issue 19).
    static let invariantCount = 100_000

    static func cases(seed: UInt64, count: Int = count) -> [CaseFacts] {
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

    /// Part C, question 4: `idp` and `refugee_asylum` together only for a foreign national whose
    /// habitual residence is the current country, which is not a country of nationality, and
    /// who is not recorded as having crossed into it.
    @Test func idpAndRefugeeMeetOnlyForAForeignResident() {
        var together = 0
        for facts in Self.cases(seed: 4, count: Self.invariantCount) {
            let categories = Self.classifier.classify(facts).categories
            guard categories.contains(.idp) && categories.contains(.refugeeAsylum) else { continue }
            together += 1
            let nationalities = facts.nationality?.country.map { [$0] + (facts.otherNationalities ?? []) } ?? []
            #expect(!nationalities.isEmpty, "\(facts.canonicalJSON)")
            #expect(facts.habitualResidence == facts.currentCountry, "\(facts.canonicalJSON)")
            #expect(!nationalities.contains(facts.currentCountry), "\(facts.canonicalJSON)")
            #expect(facts.crossedBorder != true, "\(facts.canonicalJSON)")
        }
        // The generator reaches the case, so the property is not vacuous.
        #expect(together > 0)
    }

    /// Part C, question 1: ICRMW art. 3(d) keeps refugees, claimants and TP holders out.
    @Test func aMigrantWorkerIsNeverARefugeeOrAsylumSeeker() {
        var workers = 0
        for facts in Self.cases(seed: 5, count: Self.invariantCount) {
            let categories = Set(Self.classifier.classify(facts).categories)
            if categories.contains(.migrantWorker) { workers += 1 }
            #expect(
                !(categories.contains(.migrantWorker) && categories.contains(.refugeeAsylum)), "\(facts.canonicalJSON)")
        }
        #expect(workers > 0)
    }

    @Test func smugglingNeverChangesAResult() {
        var generator = SeededGenerator(seed: 8)
        for var facts in Self.cases(seed: 9, count: Self.invariantCount) {
            facts.smuggled = nil
            let unknown = Self.classifier.classify(facts)
            facts.smuggled = true
            let smuggled = Self.classifier.classify(facts)
            facts.smuggled = false
            let notSmuggled = Self.classifier.classify(facts)
            // The smuggled fact changes nothing at all …
            #expect(smuggled == unknown && notSmuggled == unknown, "\(facts.canonicalJSON)")
            // … and without trafficking facts there is no trafficking, smuggled or not.
            if generator.chance(0.1) {
                facts.trafficking = generator.bool() ? nil : .null
                facts.smuggled = true
                #expect(!Self.classifier.classify(facts).categories.contains(.trafficked))
            }
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
        let odd = Classification(
            ref: "h",
            findings: [
                .init(.idp(.conflict), basis: [.guidingPrinciples2]),
                .init(.trafficked(.adult), basis: [.palermo3a]),
            ],
            regular: nil, institutional: nil, review: false, notes: [], missing: [])
        #expect(odd.shapeCode == nil)
        #expect(odd.resultJSON.contains(#""categories":["idp","trafficked"]"#))
    }

    @Test func theGeneratorReachesEveryOutcome() {
        var primaries = Set<String>()
        var notes = Set<ClassificationNote>()
        var bases = Set<LegalBasis>()
        for facts in Self.cases(seed: 12, count: 20_000) {
            let result = Self.classifier.classify(facts)
            primaries.insert(result.primaryID)
            notes.formUnion(result.notes)
            bases.formUnion(result.findings.flatMap(\.basis))
        }
        #expect(primaries == Set(MovementCategory.allCases.map(\.rawValue) + ["unclassified"]))
        #expect(notes == Set(ClassificationNote.allCases))
        #expect(bases == Set(LegalBasis.allCases))
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
            // review exactly when the contract says (section 3.6)
            let unspecified = result.subcategory(of: .migrantWorker) == .migrantWorker(.unspecified)
            let reviewNotes: Set<ClassificationNote> = [
                .meansMissingAdult, .outsidePresumedFromClaim, .cessationReview,
                .nationalRights1E, .exclusionClause, .otherNationalityProtectionUnknown,
            ]
            #expect(
                result.review == (result.findings.isEmpty || !reviewNotes.isDisjoint(with: result.notes) || unspecified)
            )
            // regular and institutional only for migrant workers
            if !result.categories.contains(.migrantWorker) {
                #expect(result.regular == nil && result.institutional == nil)
            } else {
                #expect(result.regular == facts.employmentDetails?.authorized)
                #expect(result.institutional == facts.employmentDetails?.sponsored)
            }
            // the ICRMW notes only when they keep someone out of the category
            if result.notes.contains(where: { $0.rawValue.hasPrefix("icrmw-") }) {
                #expect(!result.categories.contains(.migrantWorker) && facts.employmentDetails?.status != nil)
            }
            // missing: sorted, and beyond crossed_border only when nothing applies
            #expect(result.missing == result.missing.sorted())
            #expect(result.missing.contains(.crossedBorder) == (Places.determine(for: facts).outside == nil))
            if !result.findings.isEmpty { #expect(result.missing.allSatisfy { $0 == .crossedBorder }) }
            // notes in the order of contract section 3.7
            #expect(result.notes == ClassificationNote.allCases.filter(result.notes.contains))
            // the line is JSON with the contract's keys in order
            let line = result.resultJSON
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["ref"] as? String == facts.ref)
            let keys = [
                "ref", "primary", "categories", "subcategories", "basis", "regular", "institutional", "review", "notes",
                "missing",
            ]
            let positions = keys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == keys.count && positions == positions.sorted())
            #expect(!line.contains(" "))
        }
    }
}

/// Contract v2's promise to version 1 (its preamble): every v1 input stays valid and means what
/// it meant on decoding; every v1 error stays an error.
@Suite struct VersionOneCompatibilityTests {
    static let v2Keys = [
        "other_nationalities", "other_nationality_protection", "unrwa", "national_rights",
        "\"country\"", "capacity", "admitted_to_reside", "temporary_protection",
    ]

    @Test func everyRandomVersionOneInputStillDecodesToTheSameFacts() throws {
        var generator = SeededGenerator(seed: 21)
        for number in 0..<20_000 {
            let facts = RandomFacts.facts(number, &generator, version2: false)
            let line = facts.canonicalJSON
            #expect(!Self.v2Keys.contains { line.contains($0) }, "the v1 generator drew a v2 key: \(line)")
            let decoded = try CaseFacts.decode(jsonLine: line)
            #expect(decoded == facts)
            #expect(decoded.otherNationalities == nil && decoded.unrwa == nil && decoded.nationalRights == nil)
        }
    }

    /// One bad member, in v1's vocabulary, put into a random valid v1 line: still an error, and
    /// it names the same key (a repeated key is refused under that key too).
    @Test func versionOneErrorsStayErrorsNamingTheirKey() {
        let bad: [(member: String, key: String)] = [
            (#""age":200"#, "age"), (#""age":-1"#, "age"), (#""age":"30""#, "age"),
            (#""sex":"f""#, "sex"), (#""nationality":"XK""#, "nationality"), (#""nationality":"sy""#, "nationality"),
            (#""habitual_residence":"stateless""#, "habitual_residence"), (#""origin_area":"CO""#, "origin_area"),
            (#""crossed_border":"yes""#, "crossed_border"), (#""left_home":null"#, "left_home"),
            (#""causes":["war"]"#, "causes"), (#""causes":["work","work"]"#, "causes"),
            (#""persecution_grounds":"race""#, "persecution_grounds"),
            (#""persecution_agent":"army""#, "persecution_agent"),
            (#""state_protection":1"#, "state_protection"), (#""asylum":"granted""#, "asylum"),
            (#""asylum":null"#, "asylum"),
            (#""excluded":"no""#, "excluded"), (#""employment":[]"#, "employment"),
            (#""employment":{"skill_level":7}"#, "employment.skill_level"),
            (#""employment":{"kind":"sailor"}"#, "employment.kind"),
            (#""employment":{"pay":1}"#, "employment.pay"), (#""trafficking":{"acts":["sale"]}"#, "trafficking.acts"),
            (#""smuggled":"true""#, "smuggled"), (#""colour":"blue""#, "colour"),
            (#""current_country":"UK""#, "current_country"),
        ]
        var generator = SeededGenerator(seed: 22)
        for number in 0..<5_000 {
            let line = RandomFacts.facts(number, &generator, version2: false).canonicalJSON
            let (member, key) = bad[generator.int(in: 0...(bad.count - 1))]
            let broken = String(line.dropLast()) + "," + member + "}"
            do {
                _ = try CaseFacts.decode(jsonLine: broken)
                Issue.record("accepted: \(broken)")
            } catch {
                // A nested member whose object the line already has is refused as a repeated key.
                let parent = String(key.prefix { $0 != "." })
                let expected = line.contains("\"\(parent)\":") ? parent : key
                #expect(error.key == expected, "\(broken): \(error.message)")
            }
        }
    }
}
