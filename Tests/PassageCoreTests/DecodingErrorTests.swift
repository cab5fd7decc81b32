import Testing

@testable import PassageCore

/// Every kind of bad input is refused with an error naming the key at fault.
@Suite struct DecodingErrorTests {
    /// A valid base line with `extra` spliced in before the closing brace.
    static func line(_ extra: String) -> String {
        #"{"ref":"e-1","current_country":"CO""# + (extra.isEmpty ? "" : "," + extra) + "}"
    }

    static func error(_ text: String) -> CaseFactsError? {
        do {
            _ = try CaseFacts.decode(jsonLine: text)
            return nil
        } catch {
            return error
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let json: String
        let key: String?
        let problem: CaseFactsError.Problem
        var testDescription: String { json }
    }

    static let cases: [Case] = [
        // unknown keys, top level and nested
        Case(json: line(#""colour":"red""#), key: "colour", problem: .unknownKey),
        Case(json: line(#""employment":{"salary":3}"#), key: "employment.salary", problem: .unknownKey),
        Case(json: line(#""trafficking":{"victim":true}"#), key: "trafficking.victim", problem: .unknownKey),
        Case(json: line(#""Age":3"#), key: "Age", problem: .unknownKey),
        // repeated keys
        Case(json: line(#""age":3,"age":4"#), key: "age", problem: .duplicateKey),
        Case(
            json: line(#""employment":{"kind":"general","kind":"seasonal"}"#), key: "employment.kind",
            problem: .duplicateKey),
        // wrong types
        Case(json: line(#""age":"29""#), key: "age", problem: .wrongType(expected: "an integer", found: "a string")),
        Case(json: line(#""age":29.0"#), key: "age", problem: .wrongType(expected: "an integer", found: "29.0")),
        Case(json: line(#""age":2e1"#), key: "age", problem: .wrongType(expected: "an integer", found: "2e1")),
        Case(json: line(#""age":null"#), key: "age", problem: .wrongType(expected: "an integer", found: "null")),
        Case(
            json: line(#""forced":"yes""#), key: "forced",
            problem: .wrongType(expected: "true or false", found: "a string")),
        Case(
            json: line(#""forced":1"#), key: "forced", problem: .wrongType(expected: "true or false", found: "a number")
        ),
        Case(
            json: line(#""causes":"work""#), key: "causes",
            problem: .wrongType(expected: "an array of ids", found: "a string")),
        Case(
            json: line(#""causes":[1]"#), key: "causes",
            problem: .wrongType(expected: "an array of ids (strings)", found: "an array holding a number")),
        Case(
            json: line(#""employment":"engaged""#), key: "employment",
            problem: .wrongType(expected: "an object or null", found: "a string")),
        Case(
            json: line(#""trafficking":[]"#), key: "trafficking",
            problem: .wrongType(expected: "an object or null", found: "an array")),
        Case(
            json: line(#""employment":{"authorized":"true"}"#), key: "employment.authorized",
            problem: .wrongType(expected: "true or false", found: "a string")),
        Case(
            json: #"{"ref":7,"current_country":"CO"}"#, key: "ref",
            problem: .wrongType(expected: "a string", found: "a number")),
        // out of range
        Case(json: line(#""age":131"#), key: "age", problem: .outOfRange(value: "131", range: 0...130)),
        Case(json: line(#""age":-1"#), key: "age", problem: .outOfRange(value: "-1", range: 0...130)),
        Case(
            json: line(#""age":99999999999999999999999"#), key: "age",
            problem: .outOfRange(value: "99999999999999999999999", range: 0...130)),
        Case(
            json: line(#""employment":{"skill_level":0}"#), key: "employment.skill_level",
            problem: .outOfRange(value: "0", range: 1...4)),
        Case(
            json: line(#""employment":{"skill_level":5}"#), key: "employment.skill_level",
            problem: .outOfRange(value: "5", range: 1...4)),
        Case(
            json: line(#""trafficking":{"age_at_act":131}"#), key: "trafficking.age_at_act",
            problem: .outOfRange(value: "131", range: 0...130)),
        // values outside the vocabularies
        Case(
            json: line(#""sex":"F""#), key: "sex",
            problem: .notInVocabulary(value: "F", allowed: ["female", "male", "other", "unknown"])),
        Case(
            json: line(#""asylum":"pending""#), key: "asylum",
            problem: .notInVocabulary(value: "pending", allowed: AsylumState.allCases.map(\.rawValue))),
        Case(
            json: line(#""causes":["war"]"#), key: "causes",
            problem: .notInVocabulary(value: "war", allowed: Cause.allCases.map(\.rawValue))),
        Case(
            json: line(#""persecution_agent":"State""#), key: "persecution_agent",
            problem: .notInVocabulary(value: "State", allowed: ["state", "non_state"])),
        Case(
            json: line(#""employment":{"status":"working"}"#), key: "employment.status",
            problem: .notInVocabulary(value: "working", allowed: EmploymentStatus.allCases.map(\.rawValue))),
        Case(
            json: line(#""employment":{"kind":"domestic"}"#), key: "employment.kind",
            problem: .notInVocabulary(value: "domestic", allowed: EmploymentKind.allCases.map(\.rawValue))),
        Case(
            json: line(#""trafficking":{"acts":["selling"]}"#), key: "trafficking.acts",
            problem: .notInVocabulary(value: "selling", allowed: TraffickingAct.allCases.map(\.rawValue))),
        Case(
            json: line(#""trafficking":{"means":["bribe"]}"#), key: "trafficking.means",
            problem: .notInVocabulary(value: "bribe", allowed: TraffickingMeans.allCases.map(\.rawValue))),
        Case(
            json: line(#""trafficking":{"purposes":["begging"]}"#), key: "trafficking.purposes",
            problem: .notInVocabulary(value: "begging", allowed: TraffickingPurpose.allCases.map(\.rawValue))),
        Case(
            json: line(#""persecution_grounds":["gender"]"#), key: "persecution_grounds",
            problem: .notInVocabulary(value: "gender", allowed: PersecutionGround.allCases.map(\.rawValue))),
        // repeated array values
        Case(json: line(#""causes":["work","family","work"]"#), key: "causes", problem: .repeatedValue("work")),
        Case(
            json: line(#""persecution_grounds":["race","race"]"#), key: "persecution_grounds",
            problem: .repeatedValue("race")),
        Case(
            json: line(#""trafficking":{"means":["fraud","fraud"]}"#), key: "trafficking.means",
            problem: .repeatedValue("fraud")),
        // country codes
        Case(json: #"{"ref":"e-1","current_country":"XK"}"#, key: "current_country", problem: .notACountryCode("XK")),
        Case(json: #"{"ref":"e-1","current_country":"co"}"#, key: "current_country", problem: .notACountryCode("co")),
        Case(json: #"{"ref":"e-1","current_country":"COL"}"#, key: "current_country", problem: .notACountryCode("COL")),
        Case(json: line(#""habitual_residence":"UK""#), key: "habitual_residence", problem: .notACountryCode("UK")),
        Case(json: line(#""nationality":"Stateless""#), key: "nationality", problem: .notANationality("Stateless")),
        Case(json: line(#""nationality":"ZZ""#), key: "nationality", problem: .notANationality("ZZ")),
        // subdivision codes
        Case(json: line(#""origin_area":"CO""#), key: "origin_area", problem: .notASubdivisionCode("CO")),
        Case(json: line(#""origin_area":"CO-""#), key: "origin_area", problem: .notASubdivisionCode("CO-")),
        Case(json: line(#""origin_area":"CO-ANTQ""#), key: "origin_area", problem: .notASubdivisionCode("CO-ANTQ")),
        Case(json: line(#""origin_area":"co-ant""#), key: "origin_area", problem: .notASubdivisionCode("co-ant")),
        Case(json: line(#""current_area":"XX-ANT""#), key: "current_area", problem: .notASubdivisionCode("XX-ANT")),
        Case(json: line(#""current_area":"CO_ANT""#), key: "current_area", problem: .notASubdivisionCode("CO_ANT")),
        Case(json: line(#""current_area":"CO-A.T""#), key: "current_area", problem: .notASubdivisionCode("CO-A.T")),
        // ref
        Case(json: #"{"ref":"","current_country":"CO"}"#, key: "ref", problem: .referenceLength(count: 0)),
        Case(
            json: #"{"ref":"\#(String(repeating: "r", count: 65))","current_country":"CO"}"#, key: "ref",
            problem: .referenceLength(count: 65)),
        Case(json: #"{"ref":"a\tb","current_country":"CO"}"#, key: "ref", problem: .controlCharacterInReference),
        // required keys
        Case(json: #"{"current_country":"CO"}"#, key: "ref", problem: .required),
        Case(json: #"{"ref":"e-1"}"#, key: "current_country", problem: .required),
        // cross-field consistency
        Case(
            json: line(#""age":15,"trafficking":{"age_at_act":16}"#), key: "trafficking.age_at_act",
            problem: .inconsistent("16 is greater than age (15); the act cannot postdate the assessment")),
        // the line as a whole
        Case(json: "", key: nil, problem: .emptyLine),
        Case(json: "   \r", key: nil, problem: .emptyLine),
        Case(json: "[1,2]", key: nil, problem: .notAnObject),
        Case(json: #""facts""#, key: nil, problem: .notAnObject),
    ]

    @Test(arguments: cases)
    func badInputNamesTheKey(_ testCase: Case) throws {
        let error = try #require(Self.error(testCase.json))
        #expect(error.key == testCase.key)
        #expect(error.problem == testCase.problem)
        if let key = testCase.key {
            #expect(error.message.hasPrefix(key + ": "))
        }
    }

    @Test(arguments: [
        (#"{"ref":"e-1","current_country":"CO""#, "current_country" as String?),  // unterminated object
        (#"{"ref":"e-1","current_country":"CO"} {}"#, nil),  // text after the object
        (#"{"ref":"e-1" "current_country":"CO"}"#, "ref"),  // missing comma
        (#"{"ref":"e-1","forced":tru,"current_country":"CO"}"#, "forced"),  // bad literal
        (#"{"ref":"e-1","age":029,"current_country":"CO"}"#, "age"),  // leading zero
        (#"{"ref":"e-\x","current_country":"CO"}"#, "ref"),  // bad escape
        (#"{"ref":"e-\ud800","current_country":"CO"}"#, "ref"),  // lone surrogate
        (#"{ref:"e-1","current_country":"CO"}"#, nil),  // unquoted key
        (#"{"ref":"e-1","current_country":"CO",}"#, "current_country"),  // trailing comma
        (#"{"ref":"e-1","current_country" "CO"}"#, "current_country"),  // missing colon
    ])
    func brokenJSONIsReportedWithAColumn(_ text: String, key: String?) throws {
        let error = try #require(Self.error(text))
        guard case .invalidJSON(let column, _) = error.problem else {
            Issue.record("expected invalid JSON, got \(error)")
            return
        }
        #expect(column >= 1 && column <= text.utf8.count + 1)
        #expect(error.key == key)
    }

    @Test func invalidUTF8IsRefused() throws {
        var bytes = Array(#"{"ref":"e-"#.utf8)
        bytes += [0xC3, 0x28]  // a lead byte without its continuation
        bytes += Array(#"","current_country":"CO"}"#.utf8)
        #expect(throws: CaseFactsError.self) { try CaseFacts.decode(jsonLine: bytes) }
        let overlong: [UInt8] = Array(#"{"ref":"e-"#.utf8) + [0xC0, 0xAF] + Array(#"","current_country":"CO"}"#.utf8)
        #expect(throws: CaseFactsError.self) { try CaseFacts.decode(jsonLine: overlong) }
    }

    @Test func errorMessagesReadAsOneLine() throws {
        let error = try #require(Self.error(Self.line(#""employment":{"skill_level":7}"#)))
        #expect(error.message == "employment.skill_level: 7 is out of range (1 to 4)")
        let unknown = try #require(Self.error(Self.line(#""sex":"F""#)))
        #expect(unknown.message == #"sex: "F" is not one of female, male, other, unknown"#)
    }

    @Test func aRunawayValueIsCutShortInTheMessage() throws {
        let long = String(repeating: "x", count: 500)
        let error = try #require(Self.error(Self.line(#""sex":"\#(long)""#)))
        #expect(error.message.count < 120)
    }
}
