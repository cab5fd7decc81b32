import Testing

@testable import PassageCore

/// What decoding accepts, and what it makes of it.
@Suite struct DecodingTests {
    @Test func everyFieldIsRead() throws {
        let facts = try CaseFacts.decode(
            jsonLine: #"""
                {"ref":"c-1","age":29,"sex":"female","nationality":"PH","habitual_residence":"PH","origin_area":"PH-00",
                 "current_country":"AE","current_area":"AE-DU","crossed_border":true,"left_home":true,"forced":false,
                 "causes":["work","family"],"persecution_grounds":["religion"],"persecution_agent":"non_state",
                 "state_protection":true,"asylum":"none","excluded":false,
                 "employment":{"status":"engaged","skill_level":2,"authorized":true,"sponsored":true,"kind":"general"},
                 "trafficking":{"acts":["recruitment"],"means":["fraud"],"purposes":["forced_labour"],"age_at_act":25},
                 "smuggled":false}
                """#)
        #expect(facts.ref == "c-1")
        #expect(facts.age == 29)
        #expect(facts.sex == .female)
        #expect(facts.nationality == .country(try #require(CountryCode("PH"))))
        #expect(facts.habitualResidence?.alpha2 == "PH")
        #expect(facts.originArea?.code == "PH-00")
        #expect(facts.currentCountry.alpha2 == "AE")
        #expect(facts.currentArea?.localPart == "DU")
        #expect(facts.crossedBorder == true)
        #expect(facts.leftHome == true)
        #expect(facts.forced == false)
        #expect(facts.causes == [.work, .family])
        #expect(facts.persecutionGrounds == [.religion])
        #expect(facts.persecutionAgent == .nonState)
        #expect(facts.stateProtection == true)
        #expect(facts.asylum == AsylumState.none)
        #expect(facts.excluded == false)
        #expect(
            facts.employment
                == .value(
                    Employment(status: .engaged, skillLevel: 2, authorized: true, sponsored: true, kind: .general)))
        #expect(
            facts.trafficking
                == .value(Trafficking(acts: [.recruitment], means: [.fraud], purposes: [.forcedLabour], ageAtAct: 25)))
        #expect(facts.smuggled == false)
    }

    @Test func absentNullAndGivenAreThreeDifferentThings() throws {
        let absent = try CaseFacts.decode(jsonLine: #"{"ref":"a","current_country":"CO"}"#)
        let null = try CaseFacts.decode(
            jsonLine: #"{"ref":"a","current_country":"CO","employment":null,"trafficking":null}"#)
        let empty = try CaseFacts.decode(
            jsonLine: #"{"ref":"a","current_country":"CO","employment":{},"trafficking":{}}"#)
        #expect(absent.employment == nil && absent.trafficking == nil)
        #expect(null.employment == .null && null.trafficking == .null)
        #expect(empty.employment == .value(Employment()) && empty.trafficking == .value(Trafficking()))
    }

    @Test func absentAsylumCountsAsNone() throws {
        let facts = try CaseFacts.decode(jsonLine: #"{"ref":"a","current_country":"CO"}"#)
        #expect(facts.asylum == nil)
        #expect(facts.asylumState == AsylumState.none)
    }

    @Test func whitespaceEscapesAndUnicodeAreAccepted() throws {
        let facts = try CaseFacts.decode(
            jsonLine:
                " \t{ \"ref\" : \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" ñ\" , \"current_country\" : \"C\\u004F\" }\r")
        #expect(facts.ref == "café 😀 \"q\" ñ")
        #expect(facts.currentCountry.alpha2 == "CO")
    }

    @Test func referenceLengthCountsCharactersNotBytes() throws {
        let sixtyFour = String(repeating: "é", count: 64)  // 128 bytes
        let facts = try CaseFacts.decode(jsonLine: #"{"ref":"\#(sixtyFour)","current_country":"CO"}"#)
        #expect(facts.ref == sixtyFour)
    }

    @Test func edgeValuesAreAccepted() throws {
        let facts = try CaseFacts.decode(
            jsonLine:
                #"{"ref":"a","current_country":"ZW","age":0,"employment":{"skill_level":4},"trafficking":{"age_at_act":0,"acts":[]},"origin_area":"AD-1","current_area":"ZW-MA"}"#
        )
        #expect(facts.age == 0)
        #expect(facts.traffickingDetails?.acts == [])
        #expect(facts.originArea?.code == "AD-1")
        let old = try CaseFacts.decode(
            jsonLine: #"{"ref":"a","current_country":"AD","age":130,"trafficking":{"age_at_act":130}}"#)
        #expect(old.age == 130)
    }

    @Test func ageAtActWithoutAgeIsAccepted() throws {
        let facts = try CaseFacts.decode(
            jsonLine: #"{"ref":"a","current_country":"CO","trafficking":{"age_at_act":40}}"#)
        #expect(facts.traffickingDetails?.ageAtAct == 40)
        #expect(facts.age == nil)
    }

    @Test func theStringAndByteEntryPointsAgree() throws {
        let text = #"{"ref":"a","current_country":"CO","age":3}"#
        #expect(try CaseFacts.decode(jsonLine: text) == CaseFacts.decode(jsonLine: Array(text.utf8)))
        #expect(try CaseFacts.decode(jsonLine: text[...]) == CaseFacts.decode(jsonLine: text))
    }
}

/// The country code list is the assigned ISO 3166-1 alpha-2 set.
@Suite struct CountryCodeTests {
    @Test func thereAreTwoHundredFortyNineAssignedCodes() {
        #expect(CountryCode.allAssigned.count == 249)
    }

    @Test(arguments: ["AF", "AX", "BQ", "CW", "PS", "SS", "SX", "TW", "ZW", "AQ", "BV", "UM"])
    func assignedCodesAreAccepted(_ code: String) {
        #expect(CountryCode(code)?.alpha2 == code)
    }

    @Test(arguments: ["XK", "UK", "EU", "AN", "YU", "CS", "ZZ", "AA", "co", "Co", "C", "COL", "", "C1"])
    func otherCodesAreRefused(_ code: String) {
        #expect(CountryCode(code) == nil)
    }

    @Test func subdivisionShape() {
        #expect(SubdivisionCode("CO-ANT")?.country.alpha2 == "CO")
        #expect(SubdivisionCode("KE-30")?.localPart == "30")
        #expect(SubdivisionCode("FR-7")?.code == "FR-7")
        for bad in ["CO-", "CO-ANTI", "CO ANT", "co-ANT", "CO-ant", "XK-01", "COANT", "-ANT", "CO--A"] {
            #expect(SubdivisionCode(bad) == nil, "\(bad)")
        }
    }

    @Test func nationalityWords() {
        #expect(Nationality("stateless") == .stateless)
        #expect(Nationality("unknown") == .unknown)
        #expect(Nationality("SY")?.country?.alpha2 == "SY")
        #expect(Nationality("STATELESS") == nil)
    }
}
