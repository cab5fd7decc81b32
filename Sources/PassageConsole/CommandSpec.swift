import PassageCore

/// Who may run a command.
public enum Access: Sendable, Equatable {
    /// Also before AUTH (only PING, AUTH, HELP, QUIT are declared so).
    case anyone
    /// Any signed-in role.
    case signedIn
    /// Signed in with one of these roles.
    case roles(Set<Role>)

    public func allows(_ role: Role) -> Bool {
        switch self {
        case .anyone, .signedIn: true
        case .roles(let roles): roles.contains(role)
        }
    }

    /// How HELP shows it.
    public var summary: String {
        switch self {
        case .anyone: "anyone"
        case .signedIn: "signed in"
        case .roles(let roles): Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
        }
    }
}

/// Whether a command takes case facts (a JSON object tail or free `key=value` pairs).
public enum FactsRule: Sendable, Equatable {
    case none
    case required
}

/// Runs a command whose line the table has already validated.
public typealias CommandHandler = @Sendable (Invocation, Session) async throws -> Reply

/// One console command, declared once: its name, arguments, who may run it, its help, and the
/// code that runs it. Dispatch, validation, permission checks, HELP and the role matrix in the
/// documentation all read this one declaration.
public struct CommandSpec: Sendable {
    /// One or two upper-case words: `PING`, `CASE NEW`.
    public let name: String
    public let access: Access
    public let positional: [ArgumentSpec]
    public let named: [ArgumentSpec]
    public let facts: FactsRule
    public let summary: String
    /// Answers without waiting on anything outside the process (PING, HELP): the server may then
    /// hold its reply to batch it with the next ones. Replies owed before a command that may wait
    /// are always sent first, so a pipelining client is never kept waiting on an earlier answer.
    public let answersImmediately: Bool
    /// One short transaction on a handful of rows: no list, scan, password hashing or bulk
    /// work (Redis's command table calls these "fast"). A connection alone on its event loop
    /// runs a quick command's database work on that loop (`LoopOccupancy`).
    public let quick: Bool
    public let handler: CommandHandler

    public init(_ name: String, access: Access, positional: [ArgumentSpec] = [], named: [ArgumentSpec] = [],
                facts: FactsRule = .none, summary: String, answersImmediately: Bool = false, quick: Bool = false,
                handler: @escaping CommandHandler) {
        self.name = name.uppercased()
        self.access = access
        self.positional = positional
        self.named = named
        self.facts = facts
        self.summary = summary
        self.answersImmediately = answersImmediately
        self.quick = quick
        self.handler = handler
        precondition(self.name.split(separator: " ").count <= 2, "command names have one or two words")
        let names = (positional + named).map(\.name)
        precondition(Set(names).count == names.count, "\(name): argument declared twice")
        if let index = positional.firstIndex(where: { if case .words = $0.kind { true } else { false } }) {
            precondition(index == positional.count - 1, "\(name): a words argument must be last")
        }
    }

    /// `CASE SET <case> version=<version> <facts>`, as HELP shows it.
    public var usage: String {
        var parts = [name]
        for argument in positional {
            parts.append(argument.isRequired ? argument.placeholder : "[\(argument.placeholder)]")
        }
        for argument in named {
            let text = "\(argument.name)=\(argument.placeholder)"
            parts.append(argument.isRequired ? text : "[\(text)]")
        }
        if facts == .required { parts.append("<facts>") }
        return parts.joined(separator: " ")
    }
}
