import Testing

@testable import PassageCore

/// The facts new in contract v2 (section 2): read strictly, written in the table's order, and
/// refused with an error naming the key of the validation table.
@Suite struct Version2FactsTests {
    static let full =
        #"{"ref":"v2","nationality":"IQ","other_nationalities":["IR","TR"],"current_country":"NL","state_protection":false,"other_nationality_protection":false,"asylum":"temporary_protection","unrwa":"ceased","national_rights":false,"employment":{"status":"engaged","kind":"seafarer","country":"PA","capacity":"worker","admitted_to_reside":true}}"#

    @Test func everyNewFactIsRead() throws {
        let facts = try CaseFacts.decode(jsonLine: Self.full)
        #expect(facts.otherNationalities == [Build.country("IR"), Build.country("TR")])
        #expect(facts.otherNationalityProtection == false)
        #expect(facts.asylum == .temporaryProtection)
        #expect(facts.unrwa == .ceased)
        #expect(facts.nationalRights == false)
        #expect(
            facts.employmentDetails
                == Employment(
                    status: .engaged, kind: .seafarer, country: Build.country("PA"),
                    capacity: .worker, admittedToReside: true))
    }

    @Test func canonicalJSONWritesTheNewKeysInTheTablesOrder() throws {
        // Given in a scrambled order, written in the contract's.
        let scrambled =
            #"{"employment":{"admitted_to_reside":true,"capacity":"worker","country":"PA","kind":"seafarer","status":"engaged"},"national_rights":false,"unrwa":"ceased","asylum":"temporary_protection","other_nationality_protection":false,"state_protection":false,"current_country":"NL","other_nationalities":["IR","TR"],"nationality":"IQ","ref":"v2"}"#
        let facts = try CaseFacts.decode(jsonLine: scrambled)
        #expect(facts.canonicalJSON == Self.full)
        #expect(try CaseFacts.decode(jsonLine: facts.canonicalJSON) == facts)
    }

    @Test func absentUNRWACountsAsNoneAndAnEmptyListIsNoOtherNationality() throws {
        let facts = try CaseFacts.decode(
            jsonLine: #"{"ref":"a","current_country":"DE","nationality":"stateless","other_nationalities":[]}"#)
        #expect(facts.unrwa == nil && facts.unrwaState == .none)
        #expect(facts.otherNationalities == [])
        #expect(facts.canonicalJSON.contains(#""other_nationalities":[]"#))
    }

    static func error(_ json: String) -> CaseFactsError? {
        do {
            _ = try CaseFacts.decode(jsonLine: json)
            return nil
        } catch {
            return error
        }
    }

    /// Every row of the validation table of section 2, and `null` where only the two objects take it.
    @Test(
        arguments: [
            (
                #""nationality":"IQ","other_nationalities":"IR""#, "other_nationalities",
                "must be an array of country codes, not a string"
            ),
            (
                #""nationality":"IQ","other_nationalities":["XK"]"#, "other_nationalities",
                #""XK" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            (
                #""nationality":"IQ","other_nationalities":[1]"#, "other_nationalities",
                "must be an array of country codes (strings), not an array holding a number"
            ),
            (#""nationality":"IQ","other_nationalities":["IR","IR"]"#, "other_nationalities", #""IR" is repeated"#),
            (
                #""nationality":"IQ","other_nationalities":["IR","IQ"]"#, "other_nationalities",
                "IQ is already the nationality; list only further nationalities"
            ),
            (
                #""other_nationalities":["IQ"],"nationality":"IQ""#, "other_nationalities",
                "IQ is already the nationality; list only further nationalities"
            ),
            (
                #""other_nationalities":["IR"]"#, "other_nationalities",
                "other nationalities need a first nationality that is a country code (nationality is not given)"
            ),
            (
                #""nationality":"stateless","other_nationalities":["IR"]"#, "other_nationalities",
                "other nationalities need a first nationality that is a country code (nationality is stateless)"
            ),
            (
                #""nationality":"unknown","other_nationalities":["IR"]"#, "other_nationalities",
                "other nationalities need a first nationality that is a country code (nationality is unknown)"
            ),
            (
                #""nationality":"IQ","other_nationalities":null"#, "other_nationalities",
                "must be an array of country codes, not null"
            ),
            (
                #""nationality":"IQ","other_nationalities":["IR"],"other_nationality_protection":"yes""#,
                "other_nationality_protection", "must be true or false, not a string"
            ),
            (
                #""nationality":"IQ","other_nationality_protection":true"#, "other_nationality_protection",
                "given without other_nationalities; the protection of the nationality is state_protection"
            ),
            (
                #""nationality":"IQ","other_nationalities":[],"other_nationality_protection":false"#,
                "other_nationality_protection",
                "given without other_nationalities; the protection of the nationality is state_protection"
            ),
            (
                #""asylum":"temporary""#, "asylum",
                #""temporary" is not one of none, intends, applied, recognized, rejected, temporary_protection"#
            ),
            (#""unrwa":"assisted""#, "unrwa", #""assisted" is not one of none, receiving, ceased"#),
            (#""unrwa":true"#, "unrwa", "must be one of none, receiving, ceased, not a boolean"),
            (#""unrwa":null"#, "unrwa", "must be one of none, receiving, ceased, not null"),
            (#""national_rights":"true""#, "national_rights", "must be true or false, not a string"),
            (
                #""employment":{"country":"ATT"}"#, "employment.country",
                #""ATT" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            (#""employment":{"country":["AT"]}"#, "employment.country", "must be a country code, not an array"),
            (
                #""employment":{"capacity":"tourist"}"#, "employment.capacity",
                #""tourist" is not one of worker, student, trainee, investor, official_functions, cooperation_programme"#
            ),
            (
                #""employment":{"admitted_to_reside":1}"#, "employment.admitted_to_reside",
                "must be true or false, not a number"
            ),
            (#""employment":{"country":"AT","country":"DE"}"#, "employment.country", "key given more than once"),
        ] as [(String, String, String)])
    func badNewFactsNameTheirKey(_ members: String, key: String, message: String) throws {
        let json = #"{"ref":"e","current_country":"NL","# + members + "}"
        let error = try #require(Self.error(json), "accepted: \(json)")
        #expect(error.key == key, "\(json)")
        #expect(error.message == "\(key): \(message)")
    }

    // MARK: console key=value updates

    static let base = #"{"ref":"u","nationality":"IQ","current_country":"NL","employment":{"status":"engaged"}}"#

    static func apply(_ updates: [(String, String)]) throws -> CaseFacts {
        try CaseFacts.decode(jsonLine: base).applying(updates: updates.map { (dottedKey: $0.0, rawValue: $0.1) })
    }

    @Test func updatesTakeTheNewKeys() throws {
        let facts = try Self.apply([
            ("other_nationalities", "IR, TR"), ("other_nationality_protection", "false"),
            ("unrwa", "receiving"), ("national_rights", "true"), ("asylum", "temporary_protection"),
            ("employment.country", "AT"), ("Employment.Capacity", "trainee"),
            ("employment.admitted_to_reside", "false"),
        ])
        #expect(facts.otherNationalities == [Build.country("IR"), Build.country("TR")])
        #expect(facts.otherNationalityProtection == false)
        #expect(facts.unrwa == .receiving)
        #expect(facts.nationalRights == true)
        #expect(facts.asylum == .temporaryProtection)
        #expect(
            facts.employmentDetails
                == Employment(
                    status: .engaged, country: Build.country("AT"), capacity: .trainee,
                    admittedToReside: false))
        // An empty value is an empty list; null clears.
        #expect(try Self.apply([("other_nationalities", "")]).otherNationalities == [])
        let cleared = try facts.applying(updates: [
            (dottedKey: "other_nationalities", rawValue: "null"),
            (dottedKey: "other_nationality_protection", rawValue: "null"),
            (dottedKey: "unrwa", rawValue: "null"),
            (dottedKey: "employment.country", rawValue: "null"),
        ])
        #expect(cleared.otherNationalities == nil && cleared.otherNationalityProtection == nil && cleared.unrwa == nil)
        #expect(cleared.employmentDetails?.country == nil)
    }

    static func updateError(_ updates: [(String, String)]) -> CaseFactsError? {
        do {
            _ = try apply(updates)
            return nil
        } catch let error as CaseFactsError {
            return error
        } catch {
            return nil
        }
    }

    @Test(
        arguments: [
            (
                [("other_nationalities", "IR,XK")], "other_nationalities",
                #""XK" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            ([("other_nationalities", "IR,IR")], "other_nationalities", #""IR" is repeated"#),
            (
                [("other_nationalities", "IQ")], "other_nationalities",
                "IQ is already the nationality; list only further nationalities"
            ),
            (
                [("other_nationalities", "IR"), ("nationality", "stateless")], "other_nationalities",
                "other nationalities need a first nationality that is a country code (nationality is stateless)"
            ),
            (
                [("other_nationality_protection", "true")], "other_nationality_protection",
                "given without other_nationalities; the protection of the nationality is state_protection"
            ),
            ([("unrwa", "yes")], "unrwa", #""yes" is not one of none, receiving, ceased"#),
            ([("national_rights", "1")], "national_rights", #"must be true or false, not "1""#),
            (
                [("employment.country", "Austria")], "employment.country",
                #""Austria" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            (
                [("employment.capacity", "tourist")], "employment.capacity",
                #""tourist" is not one of worker, student, trainee, investor, official_functions, cooperation_programme"#
            ),
            (
                [("employment.admitted_to_reside", "no")], "employment.admitted_to_reside",
                #"must be true or false, not "no""#
            ),
        ] as [([(String, String)], String, String)])
    func badUpdatesOfTheNewKeysNameTheKey(_ updates: [(String, String)], key: String, message: String) throws {
        let error = try #require(Self.updateError(updates))
        #expect(error.key == key)
        #expect(error.message == "\(key): \(message)")
    }

    @Test func removingOtherNationalitiesAloneKeepsTheirProtectionAndIsRefused() throws {
        let facts = try Self.apply([("other_nationalities", "IR"), ("other_nationality_protection", "true")])
        #expect(throws: CaseFactsError.self) {
            try facts.applying(updates: [(dottedKey: "other_nationalities", rawValue: "null")])
        }
    }
}
