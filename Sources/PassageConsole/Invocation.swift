import PassageCore
import PassageServices

/// One `key=value` fact from a `CASE NEW`/`CASE SET` line: `employment.skill_level=2`.
/// Kept as text: which facts are numbers, lists or booleans is the case-facts contract's to say.
public struct FactPair: Sendable, Equatable {
    /// Lower-cased, dotted for nested facts.
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// `employment.skill_level` → `["employment", "skill_level"]`.
    public var path: [String] { key.split(separator: ".").map(String.init) }
}

/// Facts given to `CASE NEW`/`CASE SET`: one JSON object, or key=value pairs in line order.
public enum FactsInput: Sendable, Equatable {
    case json(String)
    case pairs([FactPair])
}

/// A command line after the table validated it: everything a handler needs, typed.
public struct Invocation: Sendable {
    /// Canonical command name (`CASE NEW`).
    public let command: String
    /// Validated arguments by declared name, defaults filled in.
    public let arguments: [String: ArgumentValue]
    /// Present exactly when the command takes facts.
    public let facts: FactsInput?
    /// Snapshot of who was signed in when the command was dispatched.
    public let user: SignedInUser?

    public init(
        command: String, arguments: [String: ArgumentValue], facts: FactsInput? = nil,
        user: SignedInUser? = nil
    ) {
        self.command = command
        self.arguments = arguments
        self.facts = facts
        self.user = user
    }

    public subscript(name: String) -> ArgumentValue? { arguments[name] }

    public func text(_ name: String) throws(ConsoleError) -> String {
        guard case .text(let value)? = arguments[name] else { throw missing(name) }
        return value
    }

    public func optionalText(_ name: String) -> String? {
        if case .text(let value)? = arguments[name] { value } else { nil }
    }

    public func int(_ name: String) throws(ConsoleError) -> Int {
        guard case .int(let value)? = arguments[name] else { throw missing(name) }
        return value
    }

    public func optionalInt(_ name: String) -> Int? {
        if case .int(let value)? = arguments[name] { value } else { nil }
    }

    public func bool(_ name: String) throws(ConsoleError) -> Bool {
        guard case .bool(let value)? = arguments[name] else { throw missing(name) }
        return value
    }

    public func list(_ name: String) -> [String]? {
        if case .list(let value)? = arguments[name] { value } else { nil }
    }

    public func date(_ name: String) -> ConsoleDate? {
        if case .date(let value)? = arguments[name] { value } else { nil }
    }

    /// The signed-in user; commands not open to `anyone` always have one (the table ensures it).
    public func signedInUser() throws(ConsoleError) -> SignedInUser {
        guard let user else { throw .permissionDenied("not signed in") }
        return user
    }

    /// Only reachable when a handler asks for an argument its table entry does not declare.
    private func missing(_ name: String) -> ConsoleError {
        .badArgument(argument: name, message: "missing")
    }
}

extension Invocation {
    /// The signed-in user as the application services know them, with where the line came from.
    public func actor(_ session: Session) throws(ConsoleError) -> Actor {
        let user = try signedInUser()
        return Actor(
            name: user.name, role: user.role, organisation: user.organisation,
            organisationID: user.organisationID, credentials: user.credentials, source: session.source)
    }
}
