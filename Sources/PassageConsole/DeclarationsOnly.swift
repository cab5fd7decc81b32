extension ConsoleServices {
    /// Services that refuse everything, used only to read the command declarations for
    /// documentation; never served (a server always gets real services).
    static var declarationsOnly: ConsoleServices {
        let refuse: CommandHandler = { _, _ in throw ConsoleError.unavailable("not available") }
        var services = ConsoleServices(
            authenticator: RefusingAuthenticator(),
            stats: refuse,
            gaps: refuse,
            auditTail: refuse, auditVerify: refuse, userAdd: refuse, userPasswd: refuse, userLock: refuse,
            userUnlock: refuse, userList: refuse, application: nil).withNeedsAndReferrals(refuse)
        services.userRole = refuse
        services.userRemove = refuse
        services.notices = refuse
        services.userConfirm = refuse
        return services
    }

    /// These services with every needs, providers and referrals command answered by `handler`.
    func withNeedsAndReferrals(_ handler: @escaping CommandHandler) -> ConsoleServices {
        var services = self
        return services
    }
}

private struct RefusingAuthenticator: Authenticator {
    func authenticate(user: String, password: String, source: String) async throws -> AuthOutcome { .failed }
}
