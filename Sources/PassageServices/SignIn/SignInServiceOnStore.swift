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

    func authenticate(user: String, password: String, source: String) async throws(ServiceError) -> SignInResult {
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
        let checked: PassageStore.SignInOutcome?
        do {
            checked = try await gate.withCheck { () async throws(ServiceError) -> PassageStore.SignInOutcome in
                try await store.transaction(nil) { connection -> PassageStore.SignInOutcome in
                    let outcome = try users.signIn(name: user, password: password, source: source, on: connection)
                    if case .signedIn = outcome {
                        try AuditLog.append(
                            actor: user, action: .userSignIn, subject: "user:\(user)", source: source, on: connection)
                    }
                    return outcome
                }
            }
        } catch {
            throw StoreWork.serviceError(for: error)
        }
        guard let outcome = checked else {
            logger.notice("sign-in refused: too many password checks waiting", metadata: ["source": "\(source)"])
            return .locked
        }
        switch outcome {
        case .signedIn(let account):
            return .signedIn(
                user: account.name, role: account.role, organisation: account.organisation,
                organisationID: account.organisationID,
                credentials: SessionCredentials(userID: account.id, epoch: account.credentialsEpoch))
        case .failed: return .failed
        case .throttled: return .locked
        }
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
        limits: SignInLimits = SignInLimits()
    ) -> any SignInService {
        SignInServiceOnStore(store: StoreWork(pool: pool), users: users, gate: SignInGate(limits: limits))
    }
}
