import PassageConsole
import PassageCore
import PassageServices

/// A thrown error that is not a ConsoleError, to check the dispatcher's fallback.
struct UnexpectedFault: Error {}

/// In-memory stand-ins for the services, used only to exercise the console layer itself
/// (dispatch, validation, permissions, rendering): one fake per area in Fakes/.
enum FakeServices {
    /// The application services in memory (Fakes/), for the command table's tests.
    static func echoing() -> ApplicationServices {
        FakeApplicationServices.make()
    }
}

/// A dispatcher over the echoing fakes, plus a session, for table-level tests.
struct ConsoleHarness {
    let dispatcher: CommandDispatcher
    let session = Session(source: "127.0.0.1")

    init(services: ApplicationServices = FakeServices.echoing()) {
        dispatcher = CommandDispatcher(table: ConsoleCommands.table(services))
    }

    /// Over the echoing fakes with these referral and provider services (to see what they were given).
    init(referrals: FakeReferralService, providers: FakeProviderService = FakeProviderService()) {
        var services = FakeServices.echoing()
        services.referrals = referrals
        services.providers = providers
        self.init(services: services)
    }

    func send(_ line: String) async -> Reply? {
        await dispatcher.respond(toLine: line, session: session)
    }

    /// Sends a line that must produce a reply, rendered in the session's format.
    func text(_ line: String) async -> String {
        guard let reply = await send(line) else { return "(no reply)" }
        return ReplyWriter.render(reply, format: session.format)
    }

    func signedIn(as user: String = "cara", password: String = "\"c0rrect horse\"") async -> ConsoleHarness {
        _ = await send("AUTH \(user) \(password)")
        return self
    }
}

extension FakeServices {
    /// Echoing services whose `CASE LIST` waits at `gate` until released: a command that is
    /// in flight for as long as a test needs.
    static func caseListHeld(at gate: Gate) -> ApplicationServices {
        var services = FakeServices.echoing()
        services.cases = FakeCaseService(listGate: gate)
        return services
    }
}

extension FakeServices {
    /// The echoing services' table plus `DOTS`, whose data block has a line starting with "."
    /// (to see it dot-stuffed on the wire; no real command's lines start with one).
    static func tableWithDottedLines() -> CommandTable {
        let services = FakeServices.echoing()
        let dots = CommandSpec(
            "DOTS", access: .signedIn, summary: "a data block with a line starting with a dot",
            handler: { _, _ in .data(.lines("dots", [".hidden starts with a dot", "plain"])) })
        return CommandTable(ConsoleCommands.table(services).commands + [dots], services: services)
    }
}
