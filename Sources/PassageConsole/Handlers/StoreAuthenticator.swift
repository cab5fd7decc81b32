import Logging
import PassageStore
import Postgres
import PassageServices

/// Checks console sign-ins against the user store: first the network's attempt budget and a
/// turn among the concurrent password checks (`SignInGate`), then the store's throttling and
/// bcrypt check, which audits every failure (Docs/security.md "4. Sign-in throttling").
struct StoreAuthenticator: Authenticator {
    let store: StoreCall
    let users: UserStore
    let gate: SignInGate
    var logger = Logger(label: "passage.sign-in")

    func authenticate(user: String, password: String, source: String) async throws -> AuthOutcome {
        if case .overRate(let first) = gate.admit(prefix: AddressPrefix.of(source)) {
            // Audited once per episode: a flood must not become a flood of audit entries.
            if first { try await auditRefusal(user: user, source: source, reason: "refused unchecked: too many attempts from this network") }
            return .locked
        }
        let users = self.users
        let store = self.store
        let checked = try await gate.withCheck {
            try await store.transaction { connection -> SignInOutcome in
                let outcome = try users.signIn(name: user, password: password, source: source, on: connection)
                if case .signedIn = outcome {
                    try AuditLog.append(actor: user, action: .userSignIn, subject: "user:\(user)", source: source, on: connection)
                }
                return outcome
            }
        }
        guard let outcome = checked else {
            logger.notice("sign-in refused: too many password checks waiting", metadata: ["source": "\(source)"])
            return .locked
        }
        switch outcome {
        case .signedIn(let account):
            return .signedIn(user: account.name, role: account.role, organisation: account.organisation,
                             organisationID: account.organisationID,
                             credentials: SessionCredentials(userID: account.id, epoch: account.credentialsEpoch))
        case .failed: return .failed
        case .throttled: return .locked
        }
    }

    private func auditRefusal(user: String, source: String, reason: String) async throws {
        try await store.transaction { connection in
            try AuditLog.append(actor: "anonymous", action: .userSignInFailed,
                                subject: "user:\(UserStore.auditedName(user))", source: source, detail: reason, on: connection)
        }
    }
}

/// The session sweep's question (`SessionSweep`), over the store.
struct StoreSessionChecker: SessionCredentialsChecker {
    let pool: PostgresPool

    func ended(_ sessions: [SessionCredentials]) async throws -> Set<SessionCredentials> {
        let pairs = sessions.map { (userID: $0.userID, epoch: $0.epoch) }
        let ended = try await pool.withConnection { try SessionCheck.ended(pairs, on: $0) }
        return Set(ended.map { SessionCredentials(userID: $0.userID, epoch: $0.epoch) })
    }
}
