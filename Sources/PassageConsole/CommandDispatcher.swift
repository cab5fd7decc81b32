import Logging

/// Turns one framed line into one reply: tokenize → look up → check access → bind arguments →
/// run the handler. Pure of sockets, so every rule of the protocol is testable with strings.
public struct CommandDispatcher: Sendable {
    public let table: CommandTable
    private let logger: Logger

    public init(table: CommandTable, logger: Logger = Logger(label: "passage.console")) {
        self.table = table
        self.logger = logger
    }

    /// The reply to a framed event; nil for an empty line, which is ignored so that a person
    /// pressing Enter in `nc` gets no noise.
    public func respond(to event: FrameEvent, session: Session) async -> Reply? {
        switch event {
        case .refused(let error):
            return .failure(500, error.description)
        case .line(let line):
            return await respond(toLine: line, session: session)
        }
    }

    public func respond(toLine line: String, session: Session) async -> Reply? {
        var tokenizer = Tokenizer(line)
        let command: CommandSpec
        do {
            guard let first = try tokenizer.next() else { return nil }
            guard case .plain(let name) = first else {
                return .failure(510, "a line must start with a command name")
            }
            switch try table.lookUp(first: name, tokenizer: &tokenizer) {
            case .found(let found): command = found
            case .unknown(let message): return .failure(510, message)
            }
        } catch let error as SyntaxError {
            return .failure(500, error.description)
        } catch {
            return .failure(500, "\(error)")
        }

        let user = await session.user
        if command.access != .anyone {
            guard let user else {
                return .failure(514, "authentication required (AUTH <user> <password>)")
            }
            guard command.access.allows(user.role) else {
                return .failure(530, "permission denied: \(command.name) is for \(command.access.summary)")
            }
        }

        let invocation: Invocation
        do {
            let bound = try ArgumentBinder.bind(command, tokenizer: &tokenizer)
            invocation = Invocation(command: command.name, arguments: bound.arguments, facts: bound.facts, user: user)
        } catch let error as SyntaxError {
            return .failure(500, error.description)
        } catch let error as ConsoleError {
            return error.reply
        } catch {
            return .failure(500, "\(error)")
        }

        do {
            return try await command.handler(invocation, session)
        } catch let error as ConsoleError {
            return error.reply
        } catch is CancellationError {
            return .failure(451, "command interrupted; retry is safe")
        } catch {
            // Services are expected to throw ConsoleError; anything else is a fault on our side.
            // 451 because the contract's only server-side fault code says retry is safe, which
            // holds for a command whose transaction was rolled back.
            logger.error("command failed", metadata: ["command": "\(command.name)", "error": "\(error)"])
            return .failure(451, "internal error (logged); the command was not applied")
        }
    }
}
