import Testing

@testable import PassageCore

@Suite struct JurisdictionsTests {
    @Test func aFileReplacesTheLists() throws {
        let custom = try Jurisdictions(
            jsonFile: "\u{FEFF}{\n  \"oau1969\": [\"UG\", \"KE\"],\n  \"cartagena1984\": [\"CR\"]\n}\n")
        #expect(custom.oau1969.map(\.alpha2) == ["KE", "UG"])
        #expect(custom.cartagena1984.map(\.alpha2) == ["CR"])
        // Costa Rica now applies Cartagena; Mexico no longer does.
        let costaRica = try CaseFacts.decode(
            jsonLine:
                #"{"ref":"j","nationality":"NI","current_country":"CR","forced":true,"causes":["generalized_violence"]}"#
        )
        #expect(
            Classifier(jurisdictions: custom).classify(costaRica).basis(of: .refugeeAsylum) == [
                .cartagenaDeclaration1984
            ])
        #expect(Classifier().classify(costaRica).primary == nil)
        let mexico = try CaseFacts.decode(
            jsonLine:
                #"{"ref":"j","nationality":"HN","current_country":"MX","forced":true,"causes":["generalized_violence"]}"#
        )
        #expect(Classifier(jurisdictions: custom).classify(mexico).primary == nil)
    }

    @Test func emptyListsAreAllowed() throws {
        let none = try Jurisdictions(jsonFile: #"{"oau1969":[],"cartagena1984":[]}"#)
        #expect(none.oau1969.isEmpty && none.cartagena1984.isEmpty)
    }

    @Test(
        arguments: [
            (#"{"oau1969":["UG"]}"#, "cartagena1984", "required"),
            (#"{"cartagena1984":[]}"#, "oau1969", "required"),
            (
                #"{"oau1969":[],"cartagena1984":[],"bangkok":[]}"#, "bangkok",
                "unknown key (expected oau1969 and cartagena1984)"
            ),
            (#"{"oau1969":[],"oau1969":[],"cartagena1984":[]}"#, "oau1969", "key given more than once"),
            (
                #"{"oau1969":["UG","XK"],"cartagena1984":[]}"#, "oau1969[1]",
                #""XK" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            (
                #"{"oau1969":["ug"],"cartagena1984":[]}"#, "oau1969[0]",
                #""ug" is not an assigned ISO 3166-1 alpha-2 country code"#
            ),
            (#"{"oau1969":["UG","UG"],"cartagena1984":[]}"#, "oau1969[1]", "UG is repeated"),
            (#"{"oau1969":"UG","cartagena1984":[]}"#, "oau1969", "must be an array of country codes"),
            (#"{"oau1969":[1],"cartagena1984":[]}"#, "oau1969[0]", "must be a country code in double quotes"),
        ] as [(String, String, String)])
    func badFilesNameTheKey(_ json: String, key: String, reason: String) {
        do {
            _ = try Jurisdictions(jsonFile: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.key == key)
            #expect(error.reason == reason)
        }
    }

    @Test func brokenJSONIsRefused() {
        for json in ["", "[]", #"{"oau1969":["UG"],"cartagena1984":[]"#, #"{"oau1969":[],"cartagena1984":[]} x"#] {
            #expect(throws: JurisdictionsError.self) { try Jurisdictions(jsonFile: json) }
        }
    }
}
