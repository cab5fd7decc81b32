/// What an argument accepts. Validation happens once, in the command table, before a handler
/// runs; a handler receives only values of the declared kind.
public enum ArgumentKind: Sendable {
    /// Non-empty text up to a length.
    case text(maxLength: Int)
    /// Like `text`, but its value is never repeated in replies or logs (passwords).
    case secret
    /// Whole number within a range.
    case integer(ClosedRange<Int>)
    /// A record id: a positive whole number.
    case id
    /// One of fixed values, matched exactly: the console contract makes command names and keys
    /// case-insensitive but not values (`priority=URGENT` is refused, naming the values).
    case choice([String])
    /// Comma-separated values, each non-empty and not repeated.
    case list(ListElement)
    /// `yes` or `no`.
    case yesNo
    /// `YYYY-MM-DD`.
    case date
    /// All remaining positional words joined by one space (`HELP CASE NEW`). Last positional only.
    case words
}

/// What each element of a comma list must be.
public enum ListElement: Sendable {
    case any
    case oneOf([String])
    /// ISO 3166-2 shape `CC-XXX`: two capital letters, a hyphen, 1–3 capitals or digits.
    /// (Whether the country part is an assigned code is the domain's question, not the console's.)
    case subdivision
}

/// A validated argument value.
public enum ArgumentValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case bool(Bool)
    case list([String])
    case date(ConsoleDate)
}

/// One argument of a command: positional (`<case>`) or named (`priority=`).
public struct ArgumentSpec: Sendable {
    public let name: String
    public let kind: ArgumentKind
    public let isRequired: Bool
    /// Used when the argument is absent, so handlers need no defaults of their own.
    public let defaultValue: ArgumentValue?
    public let help: String

    public init(
        _ name: String, _ kind: ArgumentKind, required: Bool = true,
        default defaultValue: ArgumentValue? = nil, help: String
    ) {
        self.name = name.lowercased()
        self.kind = kind
        self.isRequired = required && defaultValue == nil
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Optional argument (shown in brackets in HELP).
    public static func optional(
        _ name: String, _ kind: ArgumentKind, default value: ArgumentValue? = nil,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(name, kind, required: false, default: value, help: help)
    }

    static let inlineChoices = 5

    /// The accepted values when the usage line does not show them.
    public var choicesNote: String? {
        if case .choice(let values) = kind, values.count > Self.inlineChoices {
            return "one of " + values.joined(separator: ", ")
        }
        return nil
    }

    /// How the value is shown in usage lines: `<case>`, `emergency|urgent|normal`, `<a,b>`.
    public var placeholder: String {
        switch kind {
        // Long lists would swamp the usage line; HELP <command> spells them out instead.
        case .choice(let values) where values.count <= Self.inlineChoices: values.joined(separator: "|")
        case .yesNo: "yes|no"
        case .list: "<\(name),…>"
        case .date: "<YYYY-MM-DD>"
        case .words: "<\(name)>"
        default: "<\(name)>"
        }
    }

    /// Checks one typed value. Errors name the argument, and the offending value unless secret.
    public func validate(_ raw: String) throws(ConsoleError) -> ArgumentValue {
        func bad(_ message: String) -> ConsoleError { .badArgument(argument: name, message: message) }
        // What was typed, quoted for the message: only built when there is a message to write.
        var shown: String {
            if case .secret = kind { return "" }
            return " (got \(Self.quote(raw)))"
        }
        switch kind {
        case .text(let maxLength):
            guard !raw.isEmpty else { throw bad("must not be empty") }
            guard raw.count <= maxLength else { throw bad("longer than \(maxLength) characters") }
            return .text(raw)
        case .words:
            guard !raw.isEmpty else { throw bad("must not be empty") }
            return .text(raw)
        case .secret:
            guard !raw.isEmpty else { throw bad("must not be empty") }
            guard raw.utf8.count <= 1024 else { throw bad("longer than 1024 bytes") }
            return .text(raw)
        case .integer(let range):
            guard let number = Self.wholeNumber(raw) else { throw bad("expected a whole number\(shown)") }
            guard range.contains(number) else {
                throw bad("must be between \(range.lowerBound) and \(range.upperBound)\(shown)")
            }
            return .int(number)
        case .id:
            guard let number = Self.wholeNumber(raw), number >= 1 else {
                throw bad("expected an id (a positive whole number)\(shown)")
            }
            return .int(number)
        case .choice(let values):
            guard values.contains(raw) else {
                throw bad("expected one of \(values.joined(separator: ", "))\(shown)")
            }
            return .text(raw)
        case .yesNo:
            switch raw {
            case "yes": return .bool(true)
            case "no": return .bool(false)
            default: throw bad("expected yes or no\(shown)")
            }
        case .date:
            guard let date = ConsoleDate(raw) else { throw bad("expected a date YYYY-MM-DD\(shown)") }
            return .date(date)
        case .list(let element):
            return .list(try Self.validateList(raw, element, bad))
        }
    }

    private static func validateList(
        _ raw: String, _ element: ListElement,
        _ bad: (String) -> ConsoleError
    ) throws(ConsoleError) -> [String] {
        let items = raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var seen = Set<String>()
        var result: [String] = []
        for item in items {
            guard !item.isEmpty else { throw bad("empty element in list \(quote(raw))") }
            let value = item
            switch element {
            case .any: break
            case .oneOf(let allowed):
                guard allowed.contains(item) else {
                    throw bad("\(quote(item)) is not one of \(allowed.joined(separator: ", "))")
                }
            case .subdivision:
                guard isSubdivisionShape(item) else {
                    throw bad("\(quote(item)) is not an ISO 3166-2 code like CO-ANT")
                }
            }
            guard seen.insert(value).inserted else { throw bad("\(quote(value)) is repeated") }
            result.append(value)
        }
        return result
    }

    static func isSubdivisionShape(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, (1...3).contains(parts[1].count) else { return false }
        let upper: (Character) -> Bool = { $0.isASCII && $0.isUppercase }
        return parts[0].allSatisfy(upper) && parts[1].allSatisfy { upper($0) || ($0.isASCII && $0.isNumber) }
    }

    /// Digits with an optional leading minus; rejects `+5`, ` 5`, `5.0` that Int() or people might allow.
    /// On UTF-8 bytes: only ASCII digits count, so any other byte ends it.
    static func wholeNumber(_ text: String) -> Int? {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18,
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    static func quote(_ text: String) -> String {
        let shortened = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return JSONText.string(shortened)
    }
}
