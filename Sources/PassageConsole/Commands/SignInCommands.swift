import PassageCore
import PassageServices

/// `AUTH`: signing a connection in (SignInService: the attempt budget, the password check and
/// its throttling, the audit entry).
enum SignInCommands {
    static let auth = CommandSpec(
        "AUTH", access: .anyone,
        positional: [
            ArgumentSpec("user", .text(maxLength: 64), help: "user name"),
            ArgumentSpec("password", .secret, help: "password (quote it if it holds spaces or =)"),
        ],
        summary: "sign in"
    ) { services, invocation, session in
        // A failed AUTH signs the connection out: a half-trusted session is worse than none.
        session.signOut()
        let outcome = try await services.signIn.authenticate(
            user: try invocation.text("user"), password: try invocation.text("password"), source: session.source)
        switch outcome {
        case .signedIn(let name, let role, let organisation, let organisationID, let credentials):
            let user = SignedInUser(
                name: name, role: role, organisation: organisation, organisationID: organisationID,
                credentials: credentials)
            session.signIn(user)
            return .ok(BuiltinCommands.fields(of: user), message: "signed in")
        case .failed:
            throw ConsoleError.authenticationFailed("authentication failed")
        case .locked:
            // The same for known and unknown names: throttling counts both alike.
            throw ConsoleError.authenticationFailed("authentication failed: too many attempts, try again later")
        }
    }
}
