import PassageCore

/// The readable part of the command table (everything but the handlers): what HELP shows and
/// what the documentation's role matrix is generated from.
public struct HelpCatalog: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let usage: String
        public let access: Access
        public let summary: String
        /// `(name=<placeholder> or <name>, help)` per argument, positional first.
        public let arguments: [(syntax: String, help: String)]
    }

    public let entries: [Entry]

    public init(_ commands: [CommandSpec]) {
        entries = commands.map { command in
            var arguments = command.positional.map { ($0.placeholder, $0.help + Self.defaultNote($0)) }
            arguments += command.named.map { ("\($0.name)=\($0.placeholder)", $0.help + Self.defaultNote($0)) }
            if command.facts == .required {
                arguments.append(
                    (
                        "<facts>",
                        "one JSON object in the case-facts vocabulary, or key=value pairs (dotted keys for nested facts, commas for lists)"
                    ))
            }
            return Entry(
                name: command.name, usage: command.usage, access: command.access,
                summary: command.summary, arguments: arguments)
        }
    }

    private static func defaultNote(_ argument: ArgumentSpec) -> String {
        let choices = argument.choicesNote.map { " (\($0))" } ?? ""
        return choices + defaultOrOptional(argument)
    }

    private static func defaultOrOptional(_ argument: ArgumentSpec) -> String {
        guard let value = argument.defaultValue else { return argument.isRequired ? "" : " (optional)" }
        let shown: String =
            switch value {
            case .text(let text): text
            case .int(let number): String(number)
            case .bool(let flag): flag ? "yes" : "no"
            case .list(let items): items.joined(separator: ",")
            case .date(let date): date.description
            }
        return " (default \(shown))"
    }

    /// `HELP`: every command with its usage and who may run it.
    public func overview() -> Reply {
        .data(
            .table(
                "commands", columns: ["usage", "who", "summary"],
                rows: entries.map { [.string($0.usage), .string($0.access.summary), .string($0.summary)] }))
    }

    /// `HELP <command>` or `HELP <group>`; nil when nothing matches.
    public func detail(_ query: String) -> Reply? {
        let name = query.split(separator: " ").joined(separator: " ").uppercased()
        if let entry = entries.first(where: { $0.name == name }) {
            var lines = ["usage: \(entry.usage)", "who: \(entry.access.summary)", entry.summary]
            for argument in entry.arguments {
                lines.append("  \(argument.syntax)  \(argument.help)")
            }
            return .data(.lines(entry.name, lines), message: entry.name)
        }
        let group = entries.filter { $0.name.hasPrefix(name + " ") }
        guard !group.isEmpty else { return nil }
        return .data(
            .table(
                name, columns: ["usage", "who", "summary"],
                rows: group.map { [.string($0.usage), .string($0.access.summary), .string($0.summary)] }))
    }

    /// The role matrix as a Markdown table, for Docs/console-protocol.md.
    public func roleMatrixMarkdown() -> String {
        let roles = Role.allCases
        var lines = [
            "| command | before AUTH | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
            "|---|" + String(repeating: "---|", count: roles.count + 1),
        ]
        for entry in entries {
            let before = entry.access == .anyone ? "yes" : "—"
            let cells = roles.map { entry.access.allows($0) ? "yes" : "—" }
            lines.append("| `\(entry.usage.replacingPipes())` | \(before) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension HelpCatalog {
    /// Every command with usage, roles and arguments, as Markdown sections.
    public func referenceMarkdown() -> String {
        var out = ""
        for entry in entries {
            out += "### \(entry.name)\n\n`\(entry.usage)` — \(entry.summary). Who: \(entry.access.summary).\n"
            if !entry.arguments.isEmpty {
                out += "\n" + entry.arguments.map { "- `\($0.syntax)`: \($0.help)" }.joined(separator: "\n") + "\n"
            }
            out += "\n"
        }
        return out
    }
}

extension String {
    /// A `|` inside a Markdown table cell must be escaped or it splits the cell.
    fileprivate func replacingPipes() -> String {
        var out = ""
        for character in self {
            if character == "|" { out += "\\|" } else { out.append(character) }
        }
        return out
    }
}
