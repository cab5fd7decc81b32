import Testing

@testable import PassageCore

@Suite struct CanonicalJSONTests {
    @Test func keysComeInTheContractsOrderWhateverTheInputOrder() throws {
        let facts = try CaseFacts.decode(
            jsonLine:
                #"{"smuggled":true,"trafficking":{"age_at_act":15,"purposes":["slavery"],"acts":["receipt"]},"employment":{"kind":"general","status":"engaged"},"current_country":"IT","age":16,"ref":"k-1","nationality":"NG","causes":["work","family"]}"#
        )
        #expect(
            facts.canonicalJSON
                == #"{"ref":"k-1","age":16,"nationality":"NG","current_country":"IT","causes":["work","family"],"employment":{"status":"engaged","kind":"general"},"trafficking":{"acts":["receipt"],"purposes":["slavery"],"age_at_act":15},"smuggled":true}"#
        )
    }

    @Test func nullStaysNullAndAbsentStaysAbsent() throws {
        let null = try CaseFacts.decode(
            jsonLine: #"{"ref":"n","current_country":"IT","employment":null,"trafficking":null}"#)
        #expect(null.canonicalJSON == #"{"ref":"n","current_country":"IT","employment":null,"trafficking":null}"#)
        let absent = try CaseFacts.decode(jsonLine: #"{"ref":"n","current_country":"IT"}"#)
        #expect(absent.canonicalJSON == #"{"ref":"n","current_country":"IT"}"#)
        let empty = try CaseFacts.decode(jsonLine: #"{"ref":"n","current_country":"IT","employment":{},"causes":[]}"#)
        #expect(empty.canonicalJSON == #"{"ref":"n","current_country":"IT","causes":[],"employment":{}}"#)
    }

    @Test func everyFieldRoundTrips() throws {
        let line =
            #"{"ref":"ré\"f","age":29,"sex":"other","nationality":"stateless","habitual_residence":"KW","origin_area":"KW-AH","current_country":"AE","current_area":"AE-DU","crossed_border":true,"left_home":true,"forced":false,"causes":["work"],"persecution_grounds":["race","religion"],"persecution_agent":"state","state_protection":false,"asylum":"rejected","excluded":false,"employment":{"status":"formerly_engaged","skill_level":4,"authorized":false,"sponsored":true,"kind":"seafarer"},"trafficking":{"acts":["transfer"],"means":["payments"],"purposes":["organ_removal"],"age_at_act":20},"smuggled":false}"#
        let facts = try CaseFacts.decode(jsonLine: line)
        #expect(facts.canonicalJSON == line)
        #expect(try CaseFacts.decode(jsonLine: facts.canonicalJSON) == facts)
    }
}

@Suite struct UpdateTests {
    static let base =
        #"{"ref":"u-1","age":30,"nationality":"SY","current_country":"TR","causes":["armed_conflict"],"employment":{"status":"engaged","skill_level":2}}"#

    static func apply(_ updates: [(String, String)]) throws -> CaseFacts {
        try CaseFacts.decode(jsonLine: base).applying(updates: updates.map { (dottedKey: $0.0, rawValue: $0.1) })
    }

    static func error(_ updates: [(String, String)]) -> CaseFactsError? {
        do {
            _ = try apply(updates)
            return nil
        } catch let error as CaseFactsError {
            return error
        } catch {
            return nil
        }
    }

    @Test func scalarsListsAndNestedKeysAreSet() throws {
        let facts = try Self.apply([
            ("causes", "persecution,armed_conflict"), ("employment.skill_level", "4"),
            ("forced", "true"), ("asylum", "applied"), ("nationality", "stateless"),
            ("current_area", "TR-34"), ("trafficking.acts", "recruitment, transfer"),
            ("Sex", "female"),
        ])
        #expect(facts.causes == [.persecution, .armedConflict])
        #expect(facts.employmentDetails == Employment(status: .engaged, skillLevel: 4))
        #expect(facts.forced == true)
        #expect(facts.asylum == .applied)
        #expect(facts.nationality == .stateless)
        #expect(facts.currentArea?.code == "TR-34")
        #expect(facts.traffickingDetails?.acts == [.recruitment, .transfer])
        #expect(facts.sex == .female)
    }

    @Test func nullClearsAFieldButRecordsNoneForTheNestedGroups() throws {
        let facts = try Self.apply([("age", "null"), ("causes", "null"), ("employment.skill_level", "null")])
        #expect(facts.age == nil && facts.causes == nil)
        #expect(facts.employmentDetails == Employment(status: .engaged))
        let none = try Self.apply([("employment", "null"), ("trafficking", "null")])
        #expect(none.employment == .null && none.trafficking == .null)
    }

    @Test func aNestedGroupCanBeGivenAsJSON() throws {
        let facts = try Self.apply([("trafficking", #"{"acts":["receipt"],"purposes":["slavery"],"age_at_act":12}"#)])
        #expect(facts.traffickingDetails == Trafficking(acts: [.receipt], purposes: [.slavery], ageAtAct: 12))
        let error = try #require(Self.error([("employment", #"{"skill_level":9}"#)]))
        #expect(error.key == "employment.skill_level")
    }

    @Test func anEmptyListValueIsAnEmptyList() throws {
        #expect(try Self.apply([("causes", "")]).causes == [])
    }

    @Test func updatesChangeTheClassification() throws {
        let before = Classifier().classify(try CaseFacts.decode(jsonLine: Self.base))
        #expect(before.primary == .migrantWorker)
        let after = Classifier().classify(try Self.apply([("asylum", "applied")]))
        #expect(after.categories == [.refugeeAsylum])
    }

    @Test(
        arguments: [
            (["colour": "red"], "colour", "unknown key"),
            (["employment.salary": "3"], "employment.salary", "unknown key"),
            (["age": "thirty"], "age", #"must be an integer, not "thirty""#),
            (["age": "131"], "age", "131 is out of range (0 to 130)"),
            (["employment.skill_level": "7"], "employment.skill_level", "7 is out of range (1 to 4)"),
            (["forced": "yes"], "forced", #"must be true or false, not "yes""#),
            (
                ["causes": "work,war"], "causes",
                #""war" is not one of persecution, armed_conflict, internal_conflict, generalized_violence, human_rights_violations, external_aggression, occupation, foreign_domination, public_order_disturbance, natural_disaster, human_made_disaster, food_insecurity, work, family, study, other"#
            ),
            (["causes": "work,work"], "causes", #""work" is repeated"#),
            (
                ["causes": "work,,family"], "causes",
                #""" is not one of persecution, armed_conflict, internal_conflict, generalized_violence, human_rights_violations, external_aggression, occupation, foreign_domination, public_order_disturbance, natural_disaster, human_made_disaster, food_insecurity, work, family, study, other"#
            ),
            (["current_country": "XK"], "current_country", #""XK" is not an assigned ISO 3166-1 alpha-2 country code"#),
            (["current_country": "null"], "current_country", "required"),
            (["ref": "null"], "ref", "required"),
            (["ref": ""], "ref", "must be 1 to 64 characters, not 0"),
            (
                ["origin_area": "TR-ISTANBUL"], "origin_area",
                #""TR-ISTANBUL" is not an ISO 3166-2 subdivision code (CC-XXX: an assigned country code, a hyphen, 1 to 3 upper-case letters or digits)"#
            ),
            (
                ["employment": "engaged"], "employment",
                #"must be null or a JSON object (or set employment.<field>=…), not "engaged""#
            ),
            (
                ["trafficking.age_at_act": "31"], "trafficking.age_at_act",
                "31 is greater than age (30); the act cannot postdate the assessment"
            ),
        ] as [([String: String], String, String)])
    func badUpdatesNameTheKey(_ update: [String: String], key: String, message: String) throws {
        let error = try #require(Self.error(update.map { ($0.key, $0.value) }))
        #expect(error.key == key)
        #expect(error.message == "\(key): \(message)")
    }

    @Test func aKeyGivenTwiceIsRefused() throws {
        let error = try #require(Self.error([("age", "3"), ("AGE", "4")]))
        #expect(error.key == "age")
        #expect(error.problem == .duplicateKey)
    }

    @Test func aJSONObjectMergesOverTheFacts() throws {
        let facts = try CaseFacts.decode(jsonLine: Self.base)
        let merged = try facts.applying(jsonObject: #"{"asylum":"applied","employment":{"status":"seeking"}}"#)
        #expect(merged.asylum == .applied)
        #expect(merged.employmentDetails == Employment(status: .seeking))
        #expect(merged.age == 30 && merged.ref == "u-1")
        #expect(throws: CaseFactsError.self) { try facts.applying(jsonObject: #"{"trafficking":{"age_at_act":40}}"#) }
    }
}
