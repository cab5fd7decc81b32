import PassageCore

/// The result of checking a user name and password.
public enum AuthOutcome: Sendable, Equatable {
    case signedIn(user: String, role: Role, organisation: String, organisationID: Int64? = nil)
    /// Wrong name or password (indistinguishable on purpose).
    case failed
    /// Too many failures for this account or address; try again later.
    case locked
}

/// Checks passwords; implemented over the user store by the executable.
public protocol Authenticator: Sendable {
    /// - Parameter source: the client's address, so lockout can apply per address too.
    func authenticate(user: String, password: String, source: String) async throws -> AuthOutcome
}
