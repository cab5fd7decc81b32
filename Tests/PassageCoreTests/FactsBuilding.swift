@testable import PassageCore

/// Short ways to build facts in tests, in the contract's own words.
enum Build {
    static func country(_ code: String) -> CountryCode {
        // Test literals are known codes; a typo fails loudly in the test that uses it.
        guard let country = CountryCode(code) else { preconditionFailure("\(code) is not an assigned code in a test") }
        return country
    }

    static func facts(_ json: String) throws -> CaseFacts {
        try CaseFacts.decode(jsonLine: json)
    }
}
