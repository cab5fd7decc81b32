import PassageCore
import PassageServices

/// SignInService in memory, for the console's tests: a fixed set of accounts.
struct FakeSignInService: SignInService {
    /// name → (password, role, organisation)
    var users: [String: (password: String, role: Role, organisation: String)] = [
        "cara": ("c0rrect horse", .caseworker, "Red Cross"),
        "sam": ("sup", .supervisor, "Red Cross"),
        "ana": ("ana", .analyst, "UNHCR"),
        "pol": ("pol", .policy, "Ministry"),
        "adm": ("adm", .admin, "default"),
    ]
    var locked: Set<String> = ["lou"]

    func authenticate(user: String, password: String, source: String) async throws(ServiceError) -> SignInResult {
        if locked.contains(user) { return .locked }
        // "local" may only sign in from the loopback address: checks that the server passes
        // the peer's address (without port) as the source.
        if user == "local" {
            return password == "local" && source == "127.0.0.1"
                ? .signedIn(user: user, role: .policy, organisation: "default") : .failed
        }
        guard let entry = users[user], entry.password == password else { return .failed }
        return .signedIn(user: user, role: entry.role, organisation: entry.organisation)
    }

    /// Sessions of the fakes never end by themselves.
    func endedSessions(_ sessions: [SessionCredentials]) async throws(ServiceError) -> Set<SessionCredentials> { [] }

    /// Token sessions belong to the HTTP API; the console never opens one.
    func openSession(user: String, password: String, source: String, lifetime: Duration?)
        async throws(ServiceError) -> SessionOpening
    { .failed }
    func resume(token: String, source: String) async throws(ServiceError) -> Actor {
        throw .sessionEnded("no token sessions in the console's fakes")
    }
    func closeSession(token: String, source: String) async throws(ServiceError) {
        throw .sessionEnded("no token sessions in the console's fakes")
    }
}
