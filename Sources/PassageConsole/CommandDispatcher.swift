import Logging
import PassageServices

/// Turns one framed line into one reply: tokenize → look up → check access → bind arguments →
/// run the handler. Pure of sockets, so every rule of the protocol is testable with strings.
public struct CommandDispatcher: Sendable {
    public let table: CommandTable
    private let logger: Logger

    public init(table: CommandTable, logger: Logger = Logger(label: "passage.console")) {
        self.table = table
        self.logger = logger
    }

    /// What to do with one framed line: answer at once, or run a handler.
    public enum Step: Sendable {
        /// The reply is known without running a handler (errors, or nil for an empty line).
        case answer(Reply?)
        /// Run this command's handler with these validated arguments.
        case execute(CommandSpec, Invocation)
    }

    /// The reply to a framed event; nil for an empty line, which is ignored so that a person
    /// pressing Enter in `nc` gets no noise.
    public func respond(to event: FrameEvent, session: Session) async -> Reply? {
        switch await step(for: event, session: session) {
        case .answer(let reply): reply
        case .execute(let command, let invocation): await execute(command, invocation, session: session)
        }
    }

    public func respond(toLine line: String, session: Session) async -> Reply? {
        await respond(to: .line(line), session: session)
    }

    /// Everything before the handler: framing errors, tokenizing, look-up, access, arguments.
    public func step(for event: FrameEvent, session: Session) async -> Step {
        switch event {
        case .refused(let error):
            return .answer(.failure(500, error.description))
        case .line(let line):
            return await step(forLine: line, session: session)
        }
    }

    private func step(forLine line: String, session: Session) async -> Step {
        var tokenizer = Tokenizer(line)
        let command: CommandSpec
        do {
            guard let first = try tokenizer.next() else { return .answer(nil) }
            guard case .plain(let name) = first else {
                return .answer(.failure(510, "a line must start with a command name"))
            }
            switch try table.lookUp(first: name, tokenizer: &tokenizer) {
            case .found(let found): command = found
            case .unknown(let message): return .answer(.failure(510, message))
            }
        } catch let error as SyntaxError {
            return .answer(.failure(500, error.description))
        } catch {
            return .answer(.failure(500, "\(error)"))
        }

        let user = session.user
        if command.access != .anyone {
            guard let user else {
                // After a session ended with its credentials, the client is told why.
                return .answer(.failure(514, session.endedReason ?? "authentication required (AUTH <user> <password>)"))
            }
            guard command.access.allows(user.role) else {
                // Audited (ids only): what the line named, if it binds; nothing of its text.
                let bound = try? ArgumentBinder.bind(command, tokenizer: &tokenizer)
                await auditRefusal(530, command, arguments: bound?.arguments ?? [:], user: user, session: session)
                return .answer(.failure(530, "permission denied: \(command.name) is for \(command.access.summary)"))
            }
        }

        do {
            let bound = try ArgumentBinder.bind(command, tokenizer: &tokenizer)
            return .execute(
                command,
                Invocation(
                    command: command.name, arguments: bound.arguments,
                    facts: bound.facts, user: user))
        } catch let error as SyntaxError {
            return .answer(.failure(500, error.description))
        } catch let error as ConsoleError {
            return .answer(error.reply)
        } catch {
            return .answer(.failure(500, "\(error)"))
        }
    }

    /// Runs a validated command's handler and maps its errors to reply codes.
    public func execute(_ command: CommandSpec, _ invocation: Invocation, session: Session) async -> Reply {
        do {
            // A signed-in command's transactions check that its session's credentials still
            // hold (the services' StoreWork); AUTH and the other commands for anyone run without.
            if command.access != .anyone, let credentials = invocation.user?.credentials {
                return try await SessionCredentials.$current.withValue(credentials) {
                    try await Self.run(command, invocation, session: session, services: table.services)
                }
            }
            return try await Self.run(command, invocation, session: session, services: table.services)
        } catch ConsoleError.sessionEnded(let reason) {
            session.end(reason: reason, ifCredentials: invocation.user?.credentials)
            return .failure(514, reason)
        } catch let error as ConsoleError {
            if error.code == 530 || error.code == 550, let user = invocation.user {
                await auditRefusal(error.code, command, arguments: invocation.arguments, user: user, session: session)
            }
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

    /// Runs the command's action; a use case's typed outcome becomes the console's error here.
    private static func run(
        _ command: CommandSpec, _ invocation: Invocation, session: Session,
        services: ApplicationServices?
    ) async throws -> Reply {
        do {
            switch command.run {
            case .handler(let handler):
                return try await handler(invocation, session)
            case .action(let action):
                guard let services else {
                    throw ConsoleError.unavailable("\(command.name) is not served by this console")
                }
                return try await action(services, invocation, session)
            }
        } catch let error as ServiceError {
            throw ConsoleError(error)
        }
    }

    /// A signed-in user's 530 or 550, to the audit log (`AuditService.recordRefusal`, rate-limited there).
    private func auditRefusal(
        _ code: Int, _ command: CommandSpec, arguments: [String: ArgumentValue],
        user: SignedInUser, session: Session
    ) async {
        guard let audit = table.services?.audit else { return }
        await audit.recordRefusal(
            Refusal(
                user: user.name, command: command.name, code: code,
                targets: Refusal.targets(of: command, arguments)), source: session.source)
    }
}
