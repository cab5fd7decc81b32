/// Why a line of case facts (or an update) was refused, naming the key at fault in the
/// contract's dotted form so that the person who wrote it can fix it.
public struct CaseFactsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case emptyLine
        case lineTooLong(limit: Int)
        case invalidJSON(column: Int, reason: String)
        case notAnObject
        case unknownKey
        case duplicateKey
        case required
        case wrongType(expected: String, found: String)
        case outOfRange(value: String, range: ClosedRange<Int>)
        case notInVocabulary(value: String, allowed: [String])
        case repeatedValue(String)
        case notACountryCode(String)
        case notANationality(String)
        case notASubdivisionCode(String)
        case referenceLength(count: Int)
        case controlCharacterInReference
        case inconsistent(String)
    }

    /// The key at fault, dotted for nested keys (`employment.skill_level`); nil when the fault is
    /// in the line as a whole (empty line, broken JSON outside any value).
    public let key: String?
    public let problem: Problem

    public init(key: String?, problem: Problem) {
        self.key = key
        self.problem = problem
    }

    init(_ key: FactKey, _ problem: Problem) {
        self.init(key: key.rawValue, problem: problem)
    }

    /// One line for a person: `employment.skill_level: 7 is out of range (1 to 4)`.
    public var message: String {
        guard let key else { return explanation }
        return "\(Self.shown(key, quoted: false)): \(explanation)"
    }

    public var description: String { message }

    private var explanation: String {
        switch problem {
        case .emptyLine: return "empty line"
        case .lineTooLong(let limit): return "line is longer than \(limit) bytes"
        case .invalidJSON(let column, let reason): return "invalid JSON at column \(column): \(reason)"
        case .notAnObject: return "the line is not a JSON object"
        case .unknownKey: return "unknown key"
        case .duplicateKey: return "key given more than once"
        case .required: return "required"
        case .wrongType(let expected, let found): return "must be \(expected), not \(found)"
        case .outOfRange(let value, let range):
            return "\(value) is out of range (\(range.lowerBound) to \(range.upperBound))"
        case .notInVocabulary(let value, let allowed):
            return "\(Self.shown(value)) is not one of \(allowed.joined(separator: ", "))"
        case .repeatedValue(let value): return "\(Self.shown(value)) is repeated"
        case .notACountryCode(let value):
            return "\(Self.shown(value)) is not an assigned ISO 3166-1 alpha-2 country code"
        case .notANationality(let value):
            return "\(Self.shown(value)) is not an assigned ISO 3166-1 alpha-2 country code, stateless or unknown"
        case .notASubdivisionCode(let value):
            return
                "\(Self.shown(value)) is not an ISO 3166-2 subdivision code (CC-XXX: an assigned country code, a hyphen, 1 to 3 upper-case letters or digits)"
        case .referenceLength(let count):
            return "must be 1 to \(CaseFacts.referenceLength.upperBound) characters, not \(count)"
        case .controlCharacterInReference: return "must not contain control characters"
        case .inconsistent(let reason): return reason
        }
    }

    /// Input text shown in a message: quoted, and cut short so that a runaway value cannot
    /// flood a terminal or a log.
    static func shown(_ text: String, quoted: Bool = true) -> String {
        let limit = 40
        let cut =
            text.unicodeScalars.count > limit
            ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
            : text
        return quoted ? "\"\(cut)\"" : cut
    }
}
