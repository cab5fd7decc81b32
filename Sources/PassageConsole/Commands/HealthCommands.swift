import PassageCore
import PassageServices

/// `HEALTH`: is the server ready to serve (database round trip, migrations), one line per check.
/// `PING` stays liveness only — it answers while the database is down, on the event loop.
enum HealthCommands {
    /// Signed-in users only: the contract answers nothing but PING, AUTH, HELP and QUIT before
    /// AUTH. Monitors without an account ask `GET /readyz`, which runs the same check.
    static let health = CommandSpec(
        "HEALTH", access: .signedIn,
        summary: "is the server ready: database and migrations checked, one line each (PING: only alive)"
    ) { services, _, _ in
        reply(to: await services.health.check())
    }

    /// `250-database ok` `250-migrations ok (schema 16)` `250 ready`; when a check fails, the
    /// same lines under `451` (database unavailable, retry is safe) ending `451 not ready`.
    static func reply(to report: HealthReport) -> Reply {
        Reply(
            code: report.isReady ? 250 : 451, message: report.isReady ? "ready" : "not ready",
            info: report.checks.map(\.line))
    }
}
