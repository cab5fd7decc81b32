import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// SignInService over PassageStore. The gate (`SignInGate`) is application policy, not the
/// console's: a password check costs the same database core whichever interface asked for it.
struct SignInServiceOnStore: SignInService {
    let store: StoreWork
    let users: UserStore
    let gate: SignInGate
    var logger = Logger(label: "passage.sign-in")

    /// Token sessions (HTTP API, web pages): only their tokens' hashes.
    var sessions = TokenSessionStore()
    /// How long a token session lasts when the caller asks for no other lifetime.
    var sessionLifetime: Duration = TokenSessionLifetime.standard

    func authenticate(user: String, password: String, source: String) async throws(ServiceError) -> SignInResult {
        switch try await checkPassword(user: user, password: password, source: source, then: { _, _ in }) {
        case .signedIn(let account, _):
            return .signedIn(
                user: account.name, role: account.role, organisation: account.organisation,
                organisationID: account.organisationID,
                credentials: SessionCredentials(userID: account.id, epoch: account.credentialsEpoch))
        case .failed: return .failed
        case .locked: return .locked
        }
    }

    func openSession(user: String, password: String, source: String, lifetime: Duration?)
        async throws(ServiceError) -> SessionOpening
    {
        let lifetime = try TokenSessionLifetime.checked(lifetime ?? sessionLifetime)
        let (token, hash) = SessionToken.make()
        let sessions = self.sessions
        let checked = try await checkPassword(user: user, password: password, source: source) {
            account, connection in
            let opened = try sessions.open(
                tokenHash: hash, for: account, lifetime: lifetime, source: source, on: connection)
            // The session's id, never its token: the trail must not become a list of keys.
            try AuditLog.append(
                actor: account.name, action: .sessionOpen, subject: "user:\(account.name)", source: source,
                detail: "session \(opened.id), expires \(opened.expires.formatted(.iso8601))", on: connection)
            return opened.expires
        }
        switch checked {
        case .signedIn(let account, let expires):
            return .opened(
                OpenedSession(
                    token: token, expires: expires,
                    actor: Actor(
                        name: account.name, role: account.role, organisation: account.organisation,
                        organisationID: account.organisationID,
                        credentials: SessionCredentials(userID: account.id, epoch: account.credentialsEpoch),
                        source: source)))
        case .failed: return .failed
        case .locked: return .locked
        }
    }

    func resume(token: String, source: String) async throws(ServiceError) -> Actor {
        guard let hash = SessionToken.hash(of: token) else { throw .sessionEnded(TokenSessionLifetime.malformed) }
        let sessions = self.sessions
        let found = try await store.transaction(nil) { try sessions.find(tokenHash: hash, on: $0) }
        guard let found, found.isLive else { throw .sessionEnded(TokenSessionLifetime.ended) }
        let account = found.account
        return Actor(
            name: account.name, role: account.role, organisation: account.organisation,
            organisationID: account.organisationID,
            credentials: SessionCredentials(userID: account.id, epoch: found.credentialsEpoch), source: source)
    }

    func closeSession(token: String, source: String) async throws(ServiceError) {
        guard let hash = SessionToken.hash(of: token) else { throw .sessionEnded(TokenSessionLifetime.malformed) }
        let sessions = self.sessions
        let ended = try await store.transaction(nil) { connection -> Bool in
            guard let session = try sessions.end(tokenHash: hash, on: connection) else { return false }
            try AuditLog.append(
                actor: session.user, action: .sessionClose, subject: "user:\(session.user)", source: source,
                detail: "session \(session.id)", on: connection)
            return true
        }
        guard ended else { throw .sessionEnded(TokenSessionLifetime.ended) }
    }

    private enum Checked<Extra: Sendable>: Sendable {
        case signedIn(UserAccount, Extra)
        case failed
        case locked
    }

    /// The one sign-in path of every interface: the network's attempt budget, a turn among the
    /// concurrent password checks, the store's throttling and bcrypt check, the audit entries;
    /// on success `then` runs in the same transaction (a token session's row and entry), so a
    /// sign-in and what it opens commit together or not at all.
    private func checkPassword<Extra: Sendable>(
        user: String, password: String, source: String,
        then extra: @escaping @Sendable (UserAccount, PostgresConnection) throws -> Extra
    ) async throws(ServiceError) -> Checked<Extra> {
        if case .overRate(let first) = gate.admit(prefix: AddressPrefix.of(source)) {
            // Audited once per episode: a flood must not become a flood of audit entries.
            if first {
                try await store.transaction(nil) { connection in
                    try AuditLog.append(
                        actor: "anonymous", action: .userSignInFailed, subject: "user:\(UserStore.auditedName(user))",
                        source: source, detail: "refused unchecked: too many attempts from this network", on: connection
                    )
                }
            }
            return .locked
        }
        let users = self.users
        let store = self.store
        let checked: Checked<Extra>?
        do {
            checked = try await gate.withCheck { () async throws(ServiceError) -> Checked<Extra> in
                try await store.transaction(nil) { connection -> Checked<Extra> in
                    switch try users.signIn(name: user, password: password, source: source, on: connection) {
                    case .signedIn(let account):
                        try AuditLog.append(
                            actor: user, action: .userSignIn, subject: "user:\(user)", source: source, on: connection)
                        return .signedIn(account, try extra(account, connection))
                    case .failed: return .failed
                    case .throttled: return .locked
                    }
                }
            }
        } catch {
            throw StoreWork.serviceError(for: error)
        }
        guard let checked else {
            logger.notice("sign-in refused: too many password checks waiting", metadata: ["source": "\(source)"])
            return .locked
        }
        return checked
    }

    func endedSessions(_ sessions: [SessionCredentials]) async throws(ServiceError) -> Set<SessionCredentials> {
        guard !sessions.isEmpty else { return [] }
        let pairs = sessions.map { (userID: $0.userID, epoch: $0.epoch) }
        let ended = try await store.transaction(nil) { try SessionCheck.ended(pairs, on: $0) }
        return Set(ended.map { SessionCredentials(userID: $0.userID, epoch: $0.epoch) })
    }
}

extension ApplicationServices {
    /// The sign-in service alone over `pool`: what a server's session sweep asks.
    public static func signIn(
        onStore pool: PostgresPool, users: UserStore = UserStore(),
        limits: SignInLimits = SignInLimits(), sessionLifetime: Duration = TokenSessionLifetime.standard
    ) -> any SignInService {
        SignInServiceOnStore(
            store: StoreWork(pool: pool), users: users, gate: SignInGate(limits: limits),
            sessionLifetime: sessionLifetime)
    }
}
