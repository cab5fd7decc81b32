import PassageServices

/// All commands of a console, by name. Built once at start-up (see `ConsoleCommands.table`).
public struct CommandTable: Sendable {
    /// In declaration order, which is the order HELP lists them.
    public let commands: [CommandSpec]
    private let byName: [String: CommandSpec]
    /// First words of two-word commands (`CASE`, `USER`), with their second words.
    private let groups: [String: [String]]
    /// What every command's action runs with (and where the dispatcher records refused commands,
    /// `AuditService.recordRefusal`); nil for a table of the console's own commands only.
    public let services: ApplicationServices?

    public init(_ commands: [CommandSpec], services: ApplicationServices? = nil) {
        self.services = services
        var byName: [String: CommandSpec] = [:]
        var groups: [String: [String]] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "command \(command.name) declared twice")
            byName[command.name] = command
            let words = command.name.split(separator: " ").map(String.init)
            if words.count == 2 { groups[words[0], default: []].append(words[1]) }
        }
        for group in groups.keys {
            precondition(byName[group] == nil, "\(group) is both a command and a command group")
        }
        self.commands = commands
        self.byName = byName
        self.groups = groups
    }

    public func command(named name: String) -> CommandSpec? {
        byName[name.uppercased()]
    }

    /// Second words of a group (`CASE` → `NEW`, `SHOW`, …), or nil if `word` starts no group.
    public func group(_ word: String) -> [String]? {
        groups[word.uppercased()]
    }

    public enum Lookup: Sendable {
        case found(CommandSpec)
        case unknown(String)
    }

    /// Reads the command name (one or two words) from the start of a line.
    func lookUp(first: String, tokenizer: inout Tokenizer) throws -> Lookup {
        let head = first.uppercased()
        if let command = byName[head] { return .found(command) }
        guard let seconds = groups[head] else { return .unknown("unknown command \(Self.shown(first))") }
        guard case .plain(let second)? = try tokenizer.next() else {
            return .unknown("\(head) needs one of: \(seconds.joined(separator: ", "))")
        }
        if let command = byName[head + " " + second.uppercased()] { return .found(command) }
        return .unknown(
            "unknown command \(head) \(Self.shown(second)) (\(head) takes \(seconds.joined(separator: ", ")))")
    }

    static func shown(_ word: String) -> String {
        let short = word.count > 40 ? String(word.prefix(40)) + "…" : word
        return ReplyWriter.sanitize(short.uppercased())
    }
}
