import Logging
import PassageServices

/// Tells which signed-in sessions' credentials have ended (`SignInSessionChecker`: the sign-in
/// service's question).
public protocol SessionCredentialsChecker: Sendable {
    func ended(_ sessions: [SessionCredentials]) async throws -> Set<SessionCredentials>
}

/// The sweep's question, asked of the sign-in service.
public struct SignInSessionChecker: SessionCredentialsChecker {
    let signIn: any SignInService

    public init(_ signIn: any SignInService) {
        self.signIn = signIn
    }

    public func ended(_ sessions: [SessionCredentials]) async throws -> Set<SessionCredentials> {
        try await signIn.endedSessions(sessions)
    }
}

/// The backstop of "sessions end with their credentials": every interval, one question to the
/// database for all signed-in sessions; those whose user was locked, removed or changed — by
/// this server, another one, `passage user …` or SQL — are ended. Idle connections get
/// `421 session ended …` and close; a busy one sends it after its current reply. A command that
/// touches the database does not wait for the sweep: it checks its session in its own
/// transaction.
enum SessionSweep {
    static func run(
        registry: ConnectionRegistry, checker: any SessionCredentialsChecker, every interval: Duration,
        logger: Logger
    ) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let signedIn = await registry.signedIn()
            guard !signedIn.isEmpty else { continue }
            let ended: Set<SessionCredentials>
            do {
                ended = try await checker.ended(Array(Set(signedIn.map(\.credentials))))
            } catch {
                logger.warning("session sweep failed; retrying next time", metadata: ["error": "\(error)"])
                continue
            }
            for (entry, credentials) in signedIn where ended.contains(credentials) {
                guard entry.session.end(reason: SessionEnd.reason, ifCredentials: credentials) else { continue }
                logger.info(
                    "session ended: credentials changed",
                    metadata: ["user id": "\(credentials.userID)", "source": "\(entry.session.source)"])
                if entry.state.requestClose(notice: ConnectionRegistry.sessionEnded) {
                    await ConsoleServer.sendNoticeAndClose(entry.channel, ConnectionRegistry.sessionEnded)
                }
            }
        }
    }
}
