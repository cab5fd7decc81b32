import Foundation
import Testing
@testable import PassageCore

/// Each rule on its own, at its edges.
@Suite struct OutsideTests {
    @Test(arguments: [
        (#"{"ref":"o","current_country":"TR","nationality":"SY","crossed_border":false}"#, false as Bool?),
        (#"{"ref":"o","current_country":"SY","nationality":"SY","crossed_border":true}"#, true),
        (#"{"ref":"o","current_country":"TR","nationality":"SY"}"#, true),
        (#"{"ref":"o","current_country":"SY","nationality":"SY","habitual_residence":"TR"}"#, false),
        (#"{"ref":"o","current_country":"LB","nationality":"SY","habitual_residence":"LB"}"#, true),
        (#"{"ref":"o","current_country":"BD","nationality":"stateless","habitual_residence":"MM"}"#, true),
        (#"{"ref":"o","current_country":"MM","nationality":"stateless","habitual_residence":"MM"}"#, false),
        (#"{"ref":"o","current_country":"MM","nationality":"unknown","habitual_residence":"MM"}"#, false),
        (#"{"ref":"o","current_country":"TH","habitual_residence":"MM"}"#, true),
        (#"{"ref":"o","current_country":"BD","nationality":"stateless"}"#, nil),
        (#"{"ref":"o","current_country":"BD","nationality":"unknown"}"#, nil),
        (#"{"ref":"o","current_country":"BD"}"#, nil),
    ])
    func outsideFollowsTheContractsOrderOfEvidence(_ json: String, expected: Bool?) throws {
        #expect(Outside.determine(for: try Build.facts(json)) == expected)
    }
}

@Suite struct PalermoTests {
    static func assess(age: Int?, ageAtAct: Int?, acts: Bool, means: Bool, purposes: Bool) -> PalermoProtocolArticle3.Assessment {
        var facts = CaseFacts(ref: "p", currentCountry: Build.country("IT"), age: age)
        facts.trafficking = .value(Trafficking(acts: acts ? [.recruitment] : [], means: means ? [.fraud] : nil,
                                               purposes: purposes ? [.forcedLabour] : [], ageAtAct: ageAtAct))
        return PalermoProtocolArticle3.assess(facts)
    }

    static let child = PalermoProtocolArticle3.Assessment.trafficked(.init(.trafficked(.child), basis: [.palermo3c]))
    static let adult = PalermoProtocolArticle3.Assessment.trafficked(.init(.trafficked(.adult), basis: [.palermo3a]))

    @Test func theChildTestNeedsNoMeans() {
        #expect(Self.assess(age: 17, ageAtAct: nil, acts: true, means: false, purposes: true) == Self.child)
        #expect(Self.assess(age: 0, ageAtAct: nil, acts: true, means: true, purposes: true) == Self.child)
    }

    @Test func theAgeAtTheActDecidesNotTheAgeNow() {
        #expect(Self.assess(age: 25, ageAtAct: 17, acts: true, means: false, purposes: true) == Self.child)
        #expect(Self.assess(age: 25, ageAtAct: 18, acts: true, means: false, purposes: true) == .meansMissingAdult)
        #expect(Self.assess(age: nil, ageAtAct: 10, acts: true, means: false, purposes: true) == Self.child)
    }

    @Test func eighteenIsAnAdult() {
        #expect(Self.assess(age: 18, ageAtAct: nil, acts: true, means: true, purposes: true) == Self.adult)
        #expect(Self.assess(age: 18, ageAtAct: nil, acts: true, means: false, purposes: true) == .meansMissingAdult)
    }

    @Test func anUnknownAgeCountsAsAdult() {
        #expect(Self.assess(age: nil, ageAtAct: nil, acts: true, means: true, purposes: true) == Self.adult)
        #expect(Self.assess(age: nil, ageAtAct: nil, acts: true, means: false, purposes: true) == .meansMissingAdult)
    }

    @Test func actAndPurposeAreAlwaysNeeded() {
        for age in [5, 30] {
            #expect(Self.assess(age: age, ageAtAct: nil, acts: false, means: true, purposes: true) == .notMet)
            #expect(Self.assess(age: age, ageAtAct: nil, acts: true, means: true, purposes: false) == .notMet)
        }
    }

    @Test func noTraffickingFactsMeansNotMet() throws {
        #expect(PalermoProtocolArticle3.assess(try Build.facts(#"{"ref":"p","current_country":"IT","smuggled":true}"#)) == .notMet)
        #expect(PalermoProtocolArticle3.assess(try Build.facts(#"{"ref":"p","current_country":"IT","trafficking":null}"#)) == .notMet)
    }
}

@Suite struct RefugeeDefinitionTests {
    @Test func convention1951NeedsPersecutionAGroundAndNoProtection() throws {
        let met = #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"]}"#
        #expect(RefugeeConvention1951Article1A2.isMet(by: try Build.facts(met)))
        #expect(!RefugeeConvention1951Article1A2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["persecution"]}"#)))
        #expect(!RefugeeConvention1951Article1A2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":[]}"#)))
        #expect(!RefugeeConvention1951Article1A2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["armed_conflict"],"persecution_grounds":["race"]}"#)))
        #expect(!RefugeeConvention1951Article1A2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"state_protection":true}"#)))
        #expect(RefugeeConvention1951Article1A2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"state_protection":false}"#)))
    }

    @Test(arguments: Cause.allCases)
    func oauCausesInAnOAUCountry(_ cause: Cause) throws {
        let facts = try Build.facts(#"{"ref":"r","current_country":"UG","forced":true,"causes":["\#(cause.rawValue)"]}"#)
        let expected: Set<Cause> = [.externalAggression, .occupation, .foreignDomination, .publicOrderDisturbance]
        #expect(OAUConvention1969ArticleI2.isMet(by: facts, in: .default) == expected.contains(cause))
    }

    @Test(arguments: Cause.allCases)
    func cartagenaCausesInACartagenaCountry(_ cause: Cause) throws {
        let facts = try Build.facts(#"{"ref":"r","current_country":"MX","forced":true,"causes":["\#(cause.rawValue)"]}"#)
        let expected: Set<Cause> = [.generalizedViolence, .externalAggression, .internalConflict, .armedConflict,
                                    .humanRightsViolations, .publicOrderDisturbance]
        #expect(CartagenaDeclarationConclusionIII3.isMet(by: facts, in: .default) == expected.contains(cause))
    }

    @Test func regionalDefinitionsNeedForcedAndTheirRegion() throws {
        let oau = #"{"ref":"r","current_country":"UG","forced":true,"causes":["occupation"]}"#
        #expect(OAUConvention1969ArticleI2.isMet(by: try Build.facts(oau), in: .default))
        #expect(!OAUConvention1969ArticleI2.isMet(by: try Build.facts(oau.replacingOccurrences(of: "true", with: "false")), in: .default))
        #expect(!OAUConvention1969ArticleI2.isMet(by: try Build.facts(#"{"ref":"r","current_country":"UG","causes":["occupation"]}"#), in: .default))
        #expect(!OAUConvention1969ArticleI2.isMet(by: try Build.facts(oau.replacingOccurrences(of: "UG", with: "FR")), in: .default))
        let cartagena = #"{"ref":"r","current_country":"PE","forced":true,"causes":["internal_conflict"]}"#
        #expect(CartagenaDeclarationConclusionIII3.isMet(by: try Build.facts(cartagena), in: .default))
        #expect(!CartagenaDeclarationConclusionIII3.isMet(by: try Build.facts(cartagena.replacingOccurrences(of: "PE", with: "CR")), in: .default))
    }

    @Test func theDefaultListsAreTheContracts() {
        #expect(Jurisdictions.default.oau1969.map(\.alpha2).joined(separator: " ")
                == "AO BF BI BJ BW CD CF CG CI CM DZ ET GA GH GM GN KE LR LS ML MR MW MZ NE NG RW SD SL SN SS TD TG TN TZ UG ZA ZM ZW")
        #expect(Jurisdictions.default.cartagena1984.map(\.alpha2).joined(separator: " ")
                == "AR BO BR CL CO EC GT HN MX NI PE PY SV UY")
    }

    @Test func allThreeBasesInTheContractsOrder() throws {
        // A country applying both regional instruments exists only by configuration.
        let both = Jurisdictions(oau1969: [Build.country("MX")], cartagena1984: [Build.country("MX")])
        let facts = try Build.facts(#"{"ref":"r","current_country":"MX","nationality":"HN","forced":true,"causes":["public_order_disturbance","persecution"],"persecution_grounds":["political_opinion"],"asylum":"rejected"}"#)
        let result = Classifier(jurisdictions: both).classify(facts)
        #expect(result.basis(of: .refugeeAsylum) == [.refugeeConvention1951, .oauConvention1969, .cartagenaDeclaration1984])
        #expect(result.notes.isEmpty)
        #expect(result.resultJSON.contains(#""basis":{"refugee_asylum":["1951-convention-1A2","oau-1969-I2","cartagena-1984-III3"]}"#))
    }
}

@Suite struct InternationalProtectionTests {
    static func assess(_ json: String) throws -> InternationalProtection.Assessment {
        let facts = try Build.facts(json)
        return InternationalProtection.assess(facts, outside: Outside.determine(for: facts), jurisdictions: .default)
    }

    @Test(arguments: [("recognized", "refugee", LegalBasis.recognizedStatus), ("applied", "asylum_seeker", .asylumClaim),
                      ("intends", "asylum_seeker", .asylumClaim)])
    func aClaimOrRecognitionNeedsNoDefinition(_ asylum: String, subcategory: String, basis: LegalBasis) throws {
        let result = try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"\#(asylum)"}"#)
        guard case .protected(let finding, let note) = result else {
            Issue.record("expected protection, got \(result)")
            return
        }
        #expect(finding.subcategory.id == subcategory)
        #expect(finding.basis == [basis])
        #expect(note == nil)
    }

    @Test func insideTheCountryThereIsNoRefugee() throws {
        #expect(try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"SY","asylum":"recognized"}"#) == .notMet)
        #expect(try Self.assess(#"{"ref":"r","nationality":"stateless","current_country":"SY","asylum":"recognized"}"#) == .notMet)
    }

    @Test func exclusionOnlyMattersOutside() throws {
        #expect(try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"recognized","excluded":true}"#) == .excluded)
        #expect(try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"SY","excluded":true}"#) == .notMet)
    }

    @Test func aRejectedClaimStillLeavesTheDefinitions() throws {
        let meets = #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"rejected","causes":["persecution"],"persecution_grounds":["religion"]}"#
        #expect(try Self.assess(meets) == .protected(.init(.refugeeAsylum(.refugee), basis: [.refugeeConvention1951]), note: nil))
        #expect(try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"rejected"}"#) == .notMet)
    }

    @Test func noClaimIsNotedWhetherAsylumIsNoneOrAbsent() throws {
        let absent = #"{"ref":"r","nationality":"SY","current_country":"DE","causes":["persecution"],"persecution_grounds":["religion"]}"#
        let none = absent.replacingOccurrences(of: #""causes""#, with: #""asylum":"none","causes""#)
        for json in [absent, none] {
            #expect(try Self.assess(json) == .protected(.init(.refugeeAsylum(.refugee), basis: [.refugeeConvention1951]), note: .noClaimLodged))
        }
    }
}

@Suite struct InternalDisplacementTests {
    static func subcategory(_ causes: [Cause], forced: Bool? = true, leftHome: Bool? = true, outside: Bool? = false) -> IDPSubcategory? {
        var facts = CaseFacts(ref: "i", currentCountry: Build.country("SO"), leftHome: leftHome, forced: forced, causes: causes)
        facts.nationality = .country(Build.country("SO"))
        guard case .idp(let subcategory)? = GuidingPrinciplesParagraph2.assess(facts, outside: outside)?.subcategory else { return nil }
        return subcategory
    }

    @Test(arguments: Cause.allCases)
    func eachCauseHasItsSubcategory(_ cause: Cause) {
        let expected: IDPSubcategory?
        switch cause {
        case .armedConflict, .internalConflict, .generalizedViolence, .humanRightsViolations, .persecution,
             .publicOrderDisturbance, .externalAggression, .occupation: expected = .conflict
        case .naturalDisaster, .humanMadeDisaster: expected = .disaster
        case .foodInsecurity: expected = .foodInsecurity
        case .foreignDomination, .work, .family, .study, .other: expected = nil
        }
        #expect(Self.subcategory([cause]) == expected)
    }

    @Test func conflictThenDisasterThenFoodWhateverTheOrderGiven() {
        #expect(Self.subcategory([.foodInsecurity, .naturalDisaster, .occupation]) == .conflict)
        #expect(Self.subcategory([.foodInsecurity, .humanMadeDisaster, .work]) == .disaster)
        #expect(Self.subcategory([.work, .foodInsecurity]) == .foodInsecurity)
    }

    @Test func forcedLeftHomeAndInsideAreAllNeeded() {
        #expect(Self.subcategory([.armedConflict], forced: false) == nil)
        #expect(Self.subcategory([.armedConflict], forced: nil) == nil)
        #expect(Self.subcategory([.armedConflict], leftHome: false) == nil)
        #expect(Self.subcategory([.armedConflict], leftHome: nil) == nil)
        #expect(Self.subcategory([.armedConflict], outside: true) == nil)
        #expect(Self.subcategory([.armedConflict], outside: nil) == nil)
        #expect(Self.subcategory([]) == nil)
    }
}

@Suite struct MigrantWorkerTests {
    static func classify(_ json: String) throws -> Classification {
        Classifier().classify(try Build.facts(json))
    }

    @Test(arguments: [(1, "unskilled"), (2, "unskilled"), (3, "skilled"), (4, "skilled")])
    func skillLevelsMapToSubcategories(_ level: Int, expected: String) throws {
        let result = try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"engaged","skill_level":\#(level)}}"#)
        #expect(result.subcategory(of: .migrantWorker)?.id == expected)
        #expect(result.review == false)
    }

    @Test func anUnknownSkillLevelIsUnspecifiedAndReviewed() throws {
        let result = try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"seeking"}}"#)
        #expect(result.subcategory(of: .migrantWorker) == .migrantWorker(.unspecified))
        #expect(result.review)
    }

    @Test(arguments: ["seeking", "engaged", "formerly_engaged"])
    func everyStatusCounts(_ status: String) throws {
        let result = try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"\#(status)","skill_level":2}}"#)
        #expect(result.primary == .migrantWorker)
    }

    @Test(arguments: [(true as Bool?, false as Bool?), (false, true), (nil, nil)])
    func regularAndInstitutionalAreEchoed(_ authorized: Bool?, sponsored: Bool?) throws {
        var employment = Employment(status: .engaged, skillLevel: 3)
        employment.authorized = authorized
        employment.sponsored = sponsored
        let facts = CaseFacts(ref: "m", currentCountry: Build.country("DE"), nationality: .country(Build.country("IN")),
                              employment: .value(employment))
        let result = Classifier().classify(facts)
        #expect(result.regular == authorized)
        #expect(result.institutional == sponsored)
    }

    @Test func regularAndInstitutionalAreNullWithoutMigrantWork() throws {
        let result = try Self.classify(#"{"ref":"m","nationality":"SY","current_country":"DE","asylum":"applied","employment":{"status":"engaged","skill_level":3,"authorized":true,"sponsored":true}}"#)
        #expect(result.categories == [.refugeeAsylum])
        #expect(result.regular == nil && result.institutional == nil)
    }

    @Test func noWorkerInsideTheCountryOrWithoutStatus() throws {
        #expect(try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"PH","employment":{"status":"engaged"}}"#).primary == nil)
        #expect(try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"skill_level":2}}"#).primary == nil)
        #expect(try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":null}"#).primary == nil)
    }
}
