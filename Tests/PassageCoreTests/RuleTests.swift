import Foundation
import Testing

@testable import PassageCore

/// Each rule on its own, at its edges.
@Suite struct PlacesTests {
    /// (facts, outside, at home, note) — contract v2 section 3.1.
    @Test(arguments: [
        // The countries decide; crossed_border is checked against them.
        (
            #"{"ref":"o","current_country":"TR","nationality":"SY","crossed_border":false}"#, true as Bool?,
            false as Bool?, "outside-without-crossing"
        ),
        (
            #"{"ref":"o","current_country":"SY","nationality":"SY","crossed_border":true}"#, false, true,
            "returned-to-country"
        ),
        (#"{"ref":"o","current_country":"TR","nationality":"SY","crossed_border":true}"#, true, false, ""),
        (#"{"ref":"o","current_country":"SY","nationality":"SY","crossed_border":false}"#, false, true, ""),
        (#"{"ref":"o","current_country":"TR","nationality":"SY"}"#, true, false, ""),
        (#"{"ref":"o","current_country":"SY","nationality":"SY"}"#, false, true, ""),
        // A national whose home was abroad, back in the country of nationality: neither.
        (#"{"ref":"o","current_country":"SY","nationality":"SY","habitual_residence":"TR"}"#, false, false, ""),
        // A foreign resident: both, unless recorded as having crossed into the country.
        (#"{"ref":"o","current_country":"LB","nationality":"SY","habitual_residence":"LB"}"#, true, true, ""),
        (
            #"{"ref":"o","current_country":"LB","nationality":"SY","habitual_residence":"LB","crossed_border":true}"#,
            true, false, ""
        ),
        (
            #"{"ref":"o","current_country":"LB","nationality":"SY","habitual_residence":"LB","crossed_border":false}"#,
            true, true, ""
        ),
        // Several nationalities: outside only when outside each of them.
        (#"{"ref":"o","current_country":"IR","nationality":"IQ","other_nationalities":["IR"]}"#, false, false, ""),
        (#"{"ref":"o","current_country":"NL","nationality":"IQ","other_nationalities":["IR"]}"#, true, false, ""),
        (
            #"{"ref":"o","current_country":"IR","nationality":"IQ","other_nationalities":["IR"],"crossed_border":false}"#,
            false, false, "outside-without-crossing"
        ),
        (
            #"{"ref":"o","current_country":"IR","nationality":"IQ","other_nationalities":["IR"],"crossed_border":true}"#,
            false, false, ""
        ),
        // Without a nationality, the habitual residence is the reference country.
        (#"{"ref":"o","current_country":"BD","nationality":"stateless","habitual_residence":"MM"}"#, true, false, ""),
        (#"{"ref":"o","current_country":"MM","nationality":"stateless","habitual_residence":"MM"}"#, false, true, ""),
        (
            #"{"ref":"o","current_country":"MM","nationality":"unknown","habitual_residence":"MM","crossed_border":true}"#,
            false, true, "returned-to-country"
        ),
        (#"{"ref":"o","current_country":"TH","habitual_residence":"MM"}"#, true, false, ""),
        // No country on record: crossed_border decides both, or nothing is known.
        (#"{"ref":"o","current_country":"BD","nationality":"stateless","crossed_border":true}"#, true, false, ""),
        (#"{"ref":"o","current_country":"BD","nationality":"unknown","crossed_border":false}"#, false, true, ""),
        (#"{"ref":"o","current_country":"BD","nationality":"stateless"}"#, nil, nil, ""),
        (#"{"ref":"o","current_country":"BD","nationality":"unknown"}"#, nil, nil, ""),
        (#"{"ref":"o","current_country":"BD"}"#, nil, nil, ""),
    ])
    func placesAreJudgedByCountries(_ json: String, outside: Bool?, atHome: Bool?, note: String) throws {
        let places = Places.determine(for: try Build.facts(json))
        #expect(places.outside == outside)
        #expect(places.atHome == atHome)
        #expect(places.note?.rawValue ?? "" == note)
    }
}

@Suite struct PalermoTests {
    static func assess(age: Int?, ageAtAct: Int?, acts: Bool, means: Bool, purposes: Bool)
        -> PalermoProtocolArticle3.Assessment
    {
        var facts = CaseFacts(ref: "p", currentCountry: Build.country("IT"), age: age)
        facts.trafficking = .value(
            Trafficking(
                acts: acts ? [.recruitment] : [], means: means ? [.fraud] : nil,
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
        #expect(
            PalermoProtocolArticle3.assess(try Build.facts(#"{"ref":"p","current_country":"IT","smuggled":true}"#))
                == .notMet)
        #expect(
            PalermoProtocolArticle3.assess(try Build.facts(#"{"ref":"p","current_country":"IT","trafficking":null}"#))
                == .notMet)
    }
}

@Suite struct RefugeeDefinitionTests {
    @Test func convention1951NeedsPersecutionAGroundAndNoProtection() throws {
        let met = #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"]}"#
        #expect(RefugeeConvention1951Article1A2.isMet(by: try Build.facts(met)))
        #expect(
            !RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(#"{"ref":"r","current_country":"DE","causes":["persecution"]}"#)))
        #expect(
            !RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":[]}"#)))
        #expect(
            !RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["armed_conflict"],"persecution_grounds":["race"]}"#)))
        #expect(
            !RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"state_protection":true}"#
                )))
        #expect(
            RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"state_protection":false}"#
                )))
        // Art. 1D first paragraph: not while receiving UNRWA's assistance.
        #expect(
            !RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"unrwa":"receiving"}"#
                )))
        #expect(
            RefugeeConvention1951Article1A2.isMet(
                by: try Build.facts(
                    #"{"ref":"r","current_country":"DE","causes":["persecution"],"persecution_grounds":["race"],"unrwa":"ceased"}"#
                )))
    }

    @Test(arguments: Cause.allCases)
    func oauCausesInAnOAUCountry(_ cause: Cause) throws {
        let facts = try Build.facts(
            #"{"ref":"r","current_country":"UG","forced":true,"causes":["\#(cause.rawValue)"]}"#)
        // v2 adds armed conflict, internal conflict and generalized violence (GIP No. 12); not
        // human-rights violations alone.
        let expected: Set<Cause> = [
            .externalAggression, .occupation, .foreignDomination, .publicOrderDisturbance,
            .armedConflict, .internalConflict, .generalizedViolence,
        ]
        #expect(OAUConvention1969ArticleI2.isMet(by: facts, in: .default) == expected.contains(cause))
    }

    @Test(arguments: Cause.allCases)
    func cartagenaCausesInACartagenaCountry(_ cause: Cause) throws {
        let facts = try Build.facts(
            #"{"ref":"r","current_country":"MX","forced":true,"causes":["\#(cause.rawValue)"]}"#)
        let expected: Set<Cause> = [
            .generalizedViolence, .externalAggression, .internalConflict, .armedConflict,
            .humanRightsViolations, .publicOrderDisturbance,
        ]
        #expect(CartagenaDeclarationConclusionIII3.isMet(by: facts, in: .default) == expected.contains(cause))
    }

    @Test func regionalDefinitionsNeedForcedAndTheirRegion() throws {
        let oau = #"{"ref":"r","current_country":"UG","forced":true,"causes":["occupation"]}"#
        #expect(OAUConvention1969ArticleI2.isMet(by: try Build.facts(oau), in: .default))
        #expect(
            !OAUConvention1969ArticleI2.isMet(
                by: try Build.facts(oau.replacingOccurrences(of: "true", with: "false")), in: .default))
        #expect(
            !OAUConvention1969ArticleI2.isMet(
                by: try Build.facts(#"{"ref":"r","current_country":"UG","causes":["occupation"]}"#), in: .default))
        #expect(
            !OAUConvention1969ArticleI2.isMet(
                by: try Build.facts(oau.replacingOccurrences(of: "UG", with: "FR")), in: .default))
        let cartagena = #"{"ref":"r","current_country":"PE","forced":true,"causes":["internal_conflict"]}"#
        #expect(CartagenaDeclarationConclusionIII3.isMet(by: try Build.facts(cartagena), in: .default))
        #expect(
            !CartagenaDeclarationConclusionIII3.isMet(
                by: try Build.facts(cartagena.replacingOccurrences(of: "PE", with: "CR")), in: .default))
    }

    @Test func theDefaultListsAreTheContracts() {
        #expect(
            Jurisdictions.default.oau1969.map(\.alpha2).joined(separator: " ")
                == "AO BF BI BJ BW CD CF CG CI CM DZ ET GA GH GM GN KE LR LS ML MR MW MZ NE NG RW SD SL SN SS TD TG TN TZ UG ZA ZM ZW"
        )
        #expect(
            Jurisdictions.default.cartagena1984.map(\.alpha2).joined(separator: " ")
                == "AR BO BR CL CO EC GT HN MX NI PE PY SV UY")
    }

    @Test func allThreeBasesInTheContractsOrder() throws {
        // A country applying both regional instruments exists only by configuration.
        let both = Jurisdictions(oau1969: [Build.country("MX")], cartagena1984: [Build.country("MX")])
        let facts = try Build.facts(
            #"{"ref":"r","current_country":"MX","nationality":"HN","forced":true,"causes":["public_order_disturbance","persecution"],"persecution_grounds":["political_opinion"],"asylum":"rejected"}"#
        )
        let result = Classifier(jurisdictions: both).classify(facts)
        #expect(
            result.basis(of: .refugeeAsylum) == [.refugeeConvention1951, .oauConvention1969, .cartagenaDeclaration1984])
        #expect(result.notes.isEmpty)
        #expect(
            result.resultJSON.contains(
                #""basis":{"refugee_asylum":["1951-convention-1A2","oau-1969-I2","cartagena-1984-III3"]}"#))
    }
}

@Suite struct InternationalProtectionTests {
    static func assess(_ json: String) throws -> InternationalProtection.Assessment {
        let facts = try Build.facts(json)
        return InternationalProtection.assess(
            facts, outside: Places.determine(for: facts).outside, jurisdictions: .default)
    }

    static func refugee(_ basis: [LegalBasis], notes: [ClassificationNote] = []) -> InternationalProtection.Assessment {
        .init(finding: .init(.refugeeAsylum(.refugee), basis: basis), notes: notes)
    }

    @Test(arguments: [
        ("recognized", "refugee", LegalBasis.recognizedStatus), ("applied", "asylum_seeker", .asylumClaim),
        ("intends", "asylum_seeker", .asylumClaim), ("temporary_protection", "refugee", .temporaryProtection),
    ])
    func aClaimOrStatusNeedsNoDefinition(_ asylum: String, subcategory: String, basis: LegalBasis) throws {
        let result = try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"\#(asylum)"}"#)
        let finding = try #require(result.finding)
        #expect(finding.subcategory.id == subcategory)
        #expect(finding.basis == [basis])
        #expect(result.notes.isEmpty)
    }

    @Test func insideTheCountryThereIsNoRefugeeAndAStatusHolderGoesToCessationReview() throws {
        #expect(
            try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"SY","asylum":"recognized"}"#)
                == .init(finding: nil, notes: [.cessationReview]))
        #expect(
            try Self.assess(#"{"ref":"r","nationality":"UA","current_country":"UA","asylum":"temporary_protection"}"#)
                == .init(finding: nil, notes: [.cessationReview]))
        #expect(
            try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"SY","asylum":"applied"}"#) == .notMet)
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"stateless","habitual_residence":"SY","current_country":"SY","asylum":"recognized"}"#
            )
                == .init(finding: nil, notes: [.cessationReview]))
    }

    @Test func aClaimWithNoCountryOnRecordPresumesOutside() throws {
        for asylum in ["intends", "applied"] {
            #expect(
                try Self.assess(#"{"ref":"r","nationality":"unknown","current_country":"CY","asylum":"\#(asylum)"}"#)
                    == .init(
                        finding: .init(.refugeeAsylum(.asylumSeeker), basis: [.asylumClaim]),
                        notes: [.outsidePresumedFromClaim]))
        }
        #expect(
            try Self.assess(#"{"ref":"r","nationality":"stateless","current_country":"CY","asylum":"recognized"}"#)
                == Self.refugee([.recognizedStatus], notes: [.outsidePresumedFromClaim]))
        #expect(
            try Self.assess(#"{"ref":"r","current_country":"CY","asylum":"temporary_protection"}"#)
                == Self.refugee([.temporaryProtection], notes: [.outsidePresumedFromClaim]))
        // No claim, no presumption — even when a definition would be met.
        for asylum in ["none", "rejected"] {
            #expect(
                try Self.assess(
                    #"{"ref":"r","nationality":"stateless","current_country":"DE","asylum":"\#(asylum)","causes":["persecution"],"persecution_grounds":["race"]}"#
                ) == .notMet)
        }
        // Exclusion is examined under the presumption too.
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"stateless","current_country":"CY","asylum":"applied","excluded":true}"#)
                == .init(finding: nil, notes: [.outsidePresumedFromClaim, .exclusionClause]))
    }

    @Test func exclusionClausesOnlyMatterOutsideAndComeInTheirOrder() throws {
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"recognized","excluded":true}"#)
                == .init(finding: nil, notes: [.exclusionClause]))
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"applied","national_rights":true}"#)
                == .init(finding: nil, notes: [.nationalRights1E]))
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"temporary_protection","national_rights":true,"excluded":true}"#
            )
                == .init(finding: nil, notes: [.nationalRights1E, .exclusionClause]))
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"SY","current_country":"SY","excluded":true,"national_rights":true}"#)
                == .notMet)
        // national_rights false changes nothing.
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"applied","national_rights":false}"#
            ).finding != nil)
    }

    @Test func aRejectedClaimStillLeavesTheDefinitions() throws {
        let meets =
            #"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"rejected","causes":["persecution"],"persecution_grounds":["religion"]}"#
        #expect(try Self.assess(meets) == Self.refugee([.refugeeConvention1951]))
        #expect(
            try Self.assess(#"{"ref":"r","nationality":"SY","current_country":"DE","asylum":"rejected"}"#) == .notMet)
    }

    @Test func noClaimIsNotedWhetherAsylumIsNoneOrAbsent() throws {
        let absent =
            #"{"ref":"r","nationality":"SY","current_country":"DE","causes":["persecution"],"persecution_grounds":["religion"]}"#
        let none = absent.replacingOccurrences(of: #""causes""#, with: #""asylum":"none","causes""#)
        for json in [absent, none] {
            #expect(try Self.assess(json) == Self.refugee([.refugeeConvention1951], notes: [.noClaimLodged]))
        }
    }

    @Test func article1DBothParagraphs() throws {
        let persecuted =
            #""nationality":"stateless","habitual_residence":"SY","current_country":"DE","causes":["persecution"],"persecution_grounds":["nationality"]"#
        // Receiving: not 1A(2), but a refugee under UNRWA's mandate — and no claim to lodge.
        #expect(try Self.assess(#"{"ref":"r",\#(persecuted),"unrwa":"receiving"}"#) == Self.refugee([.unrwaMandate]))
        // Ceased: ipso facto, with 1A(2) listed too when met.
        #expect(
            try Self.assess(#"{"ref":"r",\#(persecuted),"unrwa":"ceased"}"#)
                == Self.refugee([.refugeeConvention1951, .refugeeConvention1951Article1D], notes: [.noClaimLodged]))
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"stateless","habitual_residence":"LB","current_country":"DE","unrwa":"ceased"}"#
            )
                == Self.refugee([.refugeeConvention1951Article1D], notes: [.noClaimLodged]))
        // None: 1A(2) as before.
        #expect(
            try Self.assess(#"{"ref":"r",\#(persecuted),"unrwa":"none"}"#)
                == Self.refugee([.refugeeConvention1951], notes: [.noClaimLodged]))
        // Receiving beside a regional definition: both bases, and the note is back.
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"stateless","habitual_residence":"SY","current_country":"KE","forced":true,"causes":["armed_conflict"],"unrwa":"receiving"}"#
            )
                == Self.refugee([.unrwaMandate, .oauConvention1969], notes: [.noClaimLodged]))
    }

    @Test func theSeveralNationalitiesProvisoHasThreeAnswers() throws {
        let base =
            #""nationality":"IQ","other_nationalities":["IR"],"current_country":"NL","causes":["persecution"],"persecution_grounds":["political_opinion"]"#
        #expect(
            try Self.assess(#"{"ref":"r",\#(base),"other_nationality_protection":false}"#)
                == Self.refugee([.refugeeConvention1951], notes: [.noClaimLodged]))
        #expect(try Self.assess(#"{"ref":"r",\#(base),"other_nationality_protection":true}"#) == .notMet)
        #expect(
            try Self.assess(#"{"ref":"r",\#(base)}"#)
                == .init(finding: nil, notes: [.otherNationalityProtectionUnknown]))
        // No status path is touched: a pending claim stays a claim.
        #expect(
            try Self.assess(#"{"ref":"r",\#(base),"other_nationality_protection":true,"asylum":"applied"}"#).finding?
                .basis == [.asylumClaim])
        // An empty list is no other nationality.
        #expect(
            try Self.assess(
                #"{"ref":"r","nationality":"IQ","other_nationalities":[],"current_country":"NL","causes":["persecution"],"persecution_grounds":["race"]}"#
            )
                == Self.refugee([.refugeeConvention1951], notes: [.noClaimLodged]))
    }
}

@Suite struct InternalDisplacementTests {
    static func subcategory(_ causes: [Cause], forced: Bool? = true, leftHome: Bool? = true, atHome: Bool? = true)
        -> IDPSubcategory?
    {
        var facts = CaseFacts(
            ref: "i", currentCountry: Build.country("SO"), leftHome: leftHome, forced: forced, causes: causes)
        facts.nationality = .country(Build.country("SO"))
        guard case .idp(let subcategory)? = GuidingPrinciplesParagraph2.assess(facts, atHome: atHome)?.subcategory
        else { return nil }
        return subcategory
    }

    @Test(arguments: Cause.allCases)
    func eachCauseHasItsSubcategory(_ cause: Cause) {
        let expected: IDPSubcategory?
        switch cause {
        case .armedConflict, .internalConflict, .generalizedViolence, .humanRightsViolations, .persecution,
            .publicOrderDisturbance, .externalAggression, .occupation, .foreignDomination:
            expected = .conflict
        case .naturalDisaster, .humanMadeDisaster: expected = .disaster
        case .foodInsecurity: expected = .foodInsecurity
        case .work, .family, .study, .other: expected = nil
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
        #expect(Self.subcategory([.armedConflict], atHome: false) == nil)
        #expect(Self.subcategory([.armedConflict], atHome: nil) == nil)
        #expect(Self.subcategory([]) == nil)
    }
}

@Suite struct MigrantWorkerTests {
    static func classify(_ json: String) throws -> Classification {
        Classifier().classify(try Build.facts(json))
    }

    @Test(arguments: [(1, "unskilled"), (2, "unskilled"), (3, "skilled"), (4, "skilled")])
    func skillLevelsMapToSubcategories(_ level: Int, expected: String) throws {
        let result = try Self.classify(
            #"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"engaged","skill_level":\#(level)}}"#
        )
        #expect(result.subcategory(of: .migrantWorker)?.id == expected)
        #expect(result.review == false)
    }

    @Test func anUnknownSkillLevelIsUnspecifiedAndReviewed() throws {
        let result = try Self.classify(
            #"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"seeking"}}"#)
        #expect(result.subcategory(of: .migrantWorker) == .migrantWorker(.unspecified))
        #expect(result.review)
    }

    @Test(arguments: ["seeking", "engaged", "formerly_engaged"])
    func everyStatusCounts(_ status: String) throws {
        let result = try Self.classify(
            #"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"status":"\#(status)","skill_level":2}}"#
        )
        #expect(result.primary == .migrantWorker)
    }

    @Test(arguments: [(true as Bool?, false as Bool?), (false, true), (nil, nil)])
    func regularAndInstitutionalAreEchoed(_ authorized: Bool?, sponsored: Bool?) throws {
        var employment = Employment(status: .engaged, skillLevel: 3)
        employment.authorized = authorized
        employment.sponsored = sponsored
        let facts = CaseFacts(
            ref: "m", currentCountry: Build.country("DE"), nationality: .country(Build.country("IN")),
            employment: .value(employment))
        let result = Classifier().classify(facts)
        #expect(result.regular == authorized)
        #expect(result.institutional == sponsored)
    }

    @Test func regularAndInstitutionalAreNullWithoutMigrantWork() throws {
        let result = try Self.classify(
            #"{"ref":"m","nationality":"SY","current_country":"DE","asylum":"applied","employment":{"status":"engaged","skill_level":3,"authorized":true,"sponsored":true}}"#
        )
        #expect(result.categories == [.refugeeAsylum])
        #expect(result.regular == nil && result.institutional == nil)
    }

    @Test func noWorkerInsideTheCountryOrWithoutStatus() throws {
        #expect(
            try Self.classify(
                #"{"ref":"m","nationality":"PH","current_country":"PH","employment":{"status":"engaged"}}"#
            ).primary == nil)
        #expect(
            try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":{"skill_level":2}}"#)
                .primary == nil)
        #expect(
            try Self.classify(#"{"ref":"m","nationality":"PH","current_country":"AE","employment":null}"#).primary
                == nil)
    }
}

@Suite struct StateOfEmploymentTests {
    /// ICRMW arts. 2(1), 2(2)(a)/(f), 1(2), 6(a) as contract v2 section 3.5 reads them.
    @Test(
        arguments: [
            // employment.country given and different from the current country: not a nationality
            (#""nationality":"SK","current_country":"SK","employment":{"status":"engaged","country":"AT"}"#, true),
            (#""nationality":"SK","current_country":"AT","employment":{"status":"engaged","country":"SK"}"#, false),
            (
                #""nationality":"MX","other_nationalities":["US"],"current_country":"MX","employment":{"status":"engaged","country":"US"}"#,
                false
            ),
            (
                #""nationality":"stateless","habitual_residence":"EE","current_country":"EE","employment":{"status":"engaged","country":"FI"}"#,
                true
            ),
            (
                #""nationality":"stateless","current_country":"TH","crossed_border":true,"employment":{"status":"engaged","country":"MY"}"#,
                false
            ),
            // employment.country = current country: the person must be outside
            (#""nationality":"PH","current_country":"AE","employment":{"status":"engaged","country":"AE"}"#, true),
            (#""nationality":"PH","current_country":"PH","employment":{"status":"engaged","country":"PH"}"#, false),
            // frontier and itinerant workers without a country: always
            (#""nationality":"FR","current_country":"FR","employment":{"status":"engaged","kind":"frontier"}"#, true),
            (#""nationality":"DE","current_country":"DE","employment":{"status":"seeking","kind":"itinerant"}"#, true),
            (#""nationality":"DE","current_country":"DE","employment":{"status":"engaged","kind":"seasonal"}"#, false),
            // a returned worker: formerly engaged, crossed back, not outside
            (
                #""nationality":"PH","current_country":"PH","crossed_border":true,"employment":{"status":"formerly_engaged"}"#,
                true
            ),
            (#""nationality":"PH","current_country":"PH","employment":{"status":"formerly_engaged"}"#, false),
            (
                #""nationality":"PH","current_country":"PH","crossed_border":true,"employment":{"status":"engaged"}"#,
                false
            ),
            // otherwise: outside
            (#""nationality":"PH","current_country":"QA","employment":{"status":"engaged"}"#, true),
            (#""nationality":"unknown","current_country":"QA","employment":{"status":"engaged"}"#, false),
        ] as [(String, Bool)])
    func theStateOfEmploymentTest(_ members: String, expected: Bool) throws {
        let facts = try Build.facts(#"{"ref":"s","# + members + "}")
        let employment = try #require(facts.employmentDetails)
        #expect(
            MigrantWorkersConventionArticle2.isInAStateOfEmployment(
                facts, employment, places: Places.determine(for: facts)) == expected)
    }

    /// ICRMW art. 3: the paragraphs that apply, in order.
    @Test(
        arguments: [
            (#""employment":{"status":"engaged","capacity":"official_functions"}"#, ["icrmw-3a"]),
            (#""employment":{"status":"engaged","capacity":"cooperation_programme"}"#, ["icrmw-3b"]),
            (#""employment":{"status":"engaged","capacity":"investor"}"#, ["icrmw-3c"]),
            (#""nationality":"stateless","employment":{"status":"engaged"}"#, ["icrmw-3d"]),
            (#""employment":{"status":"engaged","capacity":"student"}"#, ["icrmw-3e"]),
            (#""employment":{"status":"engaged","capacity":"trainee"}"#, ["icrmw-3e"]),
            (#""causes":["study"],"employment":{"status":"engaged"}"#, ["icrmw-3e"]),
            (#""causes":["study","work"],"employment":{"status":"engaged"}"#, []),
            (#""causes":["study"],"employment":{"status":"engaged","capacity":"worker"}"#, []),
            (#""employment":{"status":"engaged","kind":"seafarer"}"#, ["icrmw-3f"]),
            (#""employment":{"status":"engaged","kind":"offshore","admitted_to_reside":false}"#, ["icrmw-3f"]),
            (#""employment":{"status":"engaged","kind":"offshore","admitted_to_reside":true}"#, []),
            (#""employment":{"status":"engaged","kind":"seasonal","admitted_to_reside":false}"#, []),
            (
                #""nationality":"stateless","causes":["study"],"employment":{"status":"engaged","kind":"seafarer","capacity":"investor"}"#,
                ["icrmw-3c", "icrmw-3d", "icrmw-3f"]
            ),
            (
                #""nationality":"stateless","employment":{"status":"engaged","kind":"offshore","capacity":"trainee"}"#,
                ["icrmw-3d", "icrmw-3e", "icrmw-3f"]
            ),
        ] as [(String, [String])])
    func article3Exclusions(_ members: String, expected: [String]) throws {
        let facts = try Build.facts(#"{"ref":"x","current_country":"AE","# + members + "}")
        let employment = try #require(facts.employmentDetails)
        #expect(MigrantWorkersConventionArticle3.exclusions(facts, employment).map(\.rawValue) == expected)
    }

    @Test func theExclusionNotesOnlyComeWhenTheyKeepSomeoneOut() throws {
        let classifier = Classifier()
        // Would be a migrant worker: kept out, noted.
        let kept = classifier.classify(
            try Build.facts(
                #"{"ref":"x","nationality":"stateless","habitual_residence":"KW","current_country":"AE","employment":{"status":"engaged","skill_level":2}}"#
            ))
        #expect(kept.categories.isEmpty && kept.notes == [.icrmw3d])
        // Not in a State of employment, or an asylum seeker, or no status: no note.
        for json in [
            #"{"ref":"x","nationality":"stateless","habitual_residence":"KW","current_country":"KW","employment":{"status":"engaged"}}"#,
            #"{"ref":"x","nationality":"stateless","habitual_residence":"KW","current_country":"AE","asylum":"applied","employment":{"status":"engaged"}}"#,
            #"{"ref":"x","nationality":"stateless","habitual_residence":"KW","current_country":"AE","employment":{"capacity":"student"}}"#,
        ] {
            #expect(
                classifier.classify(try Build.facts(json)).notes.allSatisfy { !$0.rawValue.hasPrefix("icrmw") },
                "\(json)")
        }
    }
}
