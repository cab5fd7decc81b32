import PassageCore
import PassageServices

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

/// Runs a command whose line the table has already validated, with the application services the
/// table was built over. Declarations hold these, so a command's declaration and its handler sit
/// side by side and need no services to be read (HELP, the generated docs).
public typealias CommandAction = @Sendable (ApplicationServices, Invocation, Session) async throws -> Reply

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
    public let run: Run

    /// How a command runs: with the application services (a declaration beside its handler), or
    /// on its own (the console's built-in commands, and commands not yet moved onto the services).
    public enum Run: Sendable {
        case handler(CommandHandler)
        case action(CommandAction)
    }

    public init(
        _ name: String, access: Access, positional: [ArgumentSpec] = [], named: [ArgumentSpec] = [],
        facts: FactsRule = .none, summary: String, answersImmediately: Bool = false, quick: Bool = false,
        handler: @escaping CommandHandler
    ) {
        self.init(
            name, access: access, positional: positional, named: named, facts: facts, summary: summary,
            answersImmediately: answersImmediately, quick: quick, run: .handler(handler))
    }

    public init(
        _ name: String, access: Access, positional: [ArgumentSpec] = [], named: [ArgumentSpec] = [],
        facts: FactsRule = .none, summary: String, answersImmediately: Bool = false, quick: Bool = false,
        action: @escaping CommandAction
    ) {
        self.init(
            name, access: access, positional: positional, named: named, facts: facts, summary: summary,
            answersImmediately: answersImmediately, quick: quick, run: .action(action))
    }

    public init(
        _ name: String, access: Access, positional: [ArgumentSpec] = [], named: [ArgumentSpec] = [],
        facts: FactsRule = .none, summary: String, answersImmediately: Bool, quick: Bool, run: Run
    ) {
        self.name = name.uppercased()
        self.access = access
        self.positional = positional
        self.named = named
        self.facts = facts
        self.summary = summary
        self.answersImmediately = answersImmediately
        self.quick = quick
        self.run = run
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
