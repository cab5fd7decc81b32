/// Why a jurisdictions file was refused, naming the key (and array position) at fault.
public struct JurisdictionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `oau1969`, `cartagena1984[3]`, or nil for the file as a whole.
    public let key: String?
    public let reason: String

    public var description: String { key.map { "\($0): \(reason)" } ?? reason }
}

extension Jurisdictions {
    /// The two keys of a jurisdictions file.
    public static let fileKeys = ["oau1969", "cartagena1984"]

    /// Reads a jurisdictions file: `{"oau1969":["AO",…],"cartagena1984":["AR",…]}`. Both keys
    /// are required (an operator who means "none" writes `[]`), nothing else is allowed, and every
    /// entry must be an assigned ISO 3166-1 alpha-2 code given once.
    public init(jsonFile contents: String) throws(JurisdictionsError) {
        try self.init(jsonFile: Array(contents.utf8))
    }

    public init(jsonFile bytes: [UInt8]) throws(JurisdictionsError) {
        self = try bytes.withUnsafeBufferPointer { buffer throws(JurisdictionsError) in
            var parser = JurisdictionsParser(json: JSONByteReader(buffer))
            return try parser.parse()
        }
    }
}

private struct JurisdictionsParser {
    var json: JSONByteReader

    private func syntax(_ key: String?, _ error: JSONSyntaxError) -> JurisdictionsError {
        JurisdictionsError(key: key, reason: "invalid JSON at byte \(error.column): \(error.reason)")
    }

    mutating func parse() throws(JurisdictionsError) -> Jurisdictions {
        json.skipByteOrderMark()
        json.skipWhitespace()
        guard json.consume(UInt8(ascii: "{")) else {
            throw JurisdictionsError(
                key: nil, reason: "the file must hold one JSON object with keys oau1969 and cartagena1984")
        }
        var lists: [String: [CountryCode]] = [:]
        json.skipWhitespace()
        if !json.consume(UInt8(ascii: "}")) {
            while true {
                json.skipWhitespace()
                let key: String
                do { key = try json.readString().string } catch { throw syntax(nil, error) }
                guard Jurisdictions.fileKeys.contains(key) else {
                    throw JurisdictionsError(key: key, reason: "unknown key (expected oau1969 and cartagena1984)")
                }
                guard lists[key] == nil else { throw JurisdictionsError(key: key, reason: "key given more than once") }
                json.skipWhitespace()
                do { try json.expect(UInt8(ascii: ":"), "':'") } catch { throw syntax(key, error) }
                json.skipWhitespace()
                lists[key] = try readCodes(key)
                json.skipWhitespace()
                if json.consume(UInt8(ascii: "}")) { break }
                do { try json.expect(UInt8(ascii: ","), "',' or '}'") } catch { throw syntax(key, error) }
            }
        }
        json.skipWhitespace()
        guard json.isAtEnd else { throw syntax(nil, json.error("unexpected text after the object")) }
        guard let oau = lists["oau1969"] else { throw JurisdictionsError(key: "oau1969", reason: "required") }
        guard let cartagena = lists["cartagena1984"] else {
            throw JurisdictionsError(key: "cartagena1984", reason: "required")
        }
        return Jurisdictions(oau1969: oau, cartagena1984: cartagena)
    }

    private mutating func readCodes(_ key: String) throws(JurisdictionsError) -> [CountryCode] {
        guard json.consume(UInt8(ascii: "[")) else {
            throw JurisdictionsError(key: key, reason: "must be an array of country codes")
        }
        var codes: [CountryCode] = []
        json.skipWhitespace()
        if json.consume(UInt8(ascii: "]")) { return codes }
        while true {
            json.skipWhitespace()
            let position = "\(key)[\(codes.count)]"
            guard json.kindOfNextValue() == .string else {
                throw JurisdictionsError(key: position, reason: "must be a country code in double quotes")
            }
            let text: JSONStringBytes
            do { text = try json.readString() } catch { throw syntax(position, error) }
            guard let code = text.withBytes({ CountryCode(bytes: $0) }) else {
                throw JurisdictionsError(
                    key: position,
                    reason: "\(CaseFactsError.shown(text.string)) is not an assigned ISO 3166-1 alpha-2 country code")
            }
            guard !codes.contains(code) else {
                throw JurisdictionsError(key: position, reason: "\(code) is repeated")
            }
            codes.append(code)
            json.skipWhitespace()
            if json.consume(UInt8(ascii: "]")) { return codes }
            do { try json.expect(UInt8(ascii: ","), "',' or ']'") } catch { throw syntax(key, error) }
        }
    }
}
