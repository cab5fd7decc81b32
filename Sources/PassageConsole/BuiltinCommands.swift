import PassageCore

/// Commands the console answers by itself: PING, QUIT, HELP, FORMAT, WHOAMI (AUTH: SignInCommands).
enum BuiltinCommands {
    /// PING's one reply: the command table answers with it, and so does the event loop when
    /// `ConsoleConfiguration.pingOnEventLoop` is on (`EventLoopPingHandler` writes its text form).
    static let pong = Reply(code: 250, message: "PONG")

    static func ping() -> CommandSpec {
        CommandSpec("PING", access: .anyone, summary: "check that the server answers", answersImmediately: true) {
            _, _ in
            pong
        }
    }

    static func quit() -> CommandSpec {
        CommandSpec("QUIT", access: .anyone, summary: "close the connection", answersImmediately: true) { _, _ in
            Reply(code: 221, message: "bye", closesConnection: true)
        }
    }

    static func help(_ catalog: @escaping @Sendable () -> HelpCatalog) -> CommandSpec {
        CommandSpec(
            "HELP", access: .anyone,
            positional: [.optional("command", .words, help: "a command or command group, e.g. CASE NEW")],
            summary: "list commands, or explain one", answersImmediately: true
        ) { invocation, _ in
            guard let query = invocation.optionalText("command") else { return catalog().overview() }
            guard let reply = catalog().detail(query) else {
                throw ConsoleError.badArgument(
                    argument: "command", message: "no command \(CommandTable.shown(query)); HELP lists them")
            }
            return reply
        }
    }

    static func format() -> CommandSpec {
        CommandSpec(
            "FORMAT", access: .signedIn,
            positional: [
                ArgumentSpec(
                    "format", .choice(ReplyFormat.allCases.map(\.rawValue)),
                    help: "text: aligned human text; json: one JSON object per line")
            ],
            summary: "choose text or JSON replies for this connection", answersImmediately: true
        ) { invocation, session in
            let format = ReplyFormat(rawValue: try invocation.text("format")) ?? .text
            session.setFormat(format)
            return .ok([ReplyField("format", .string(format.rawValue))])
        }
    }

    static func whoami() -> CommandSpec {
        CommandSpec("WHOAMI", access: .signedIn, summary: "show user, role and organisation", answersImmediately: true)
        { invocation, _ in
            .ok(fields(of: try invocation.signedInUser()))
        }
    }

    static func fields(of user: SignedInUser) -> [ReplyField] {
        [
            ReplyField("user", .string(user.name)), ReplyField("role", .string(user.role.rawValue)),
            ReplyField("organisation", .string(user.organisation)),
        ]
    }
}
