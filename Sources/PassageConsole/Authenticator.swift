import PassageCore
import PassageServices

/// The result of checking a user name and password.
public enum AuthOutcome: Sendable, Equatable {
    case signedIn(user: String, role: Role, organisation: String, organisationID: Int64? = nil,
                  credentials: SessionCredentials? = nil)
    /// Wrong name or password, or a locked account (indistinguishable on purpose).
    case failed
    /// Too many failed attempts from this address or network (or too many attempts at all);
    /// try again later. Said the same for known and unknown names.
    case locked
}

/// Checks passwords; implemented over the user store by the executable.
public protocol Authenticator: Sendable {
    /// - Parameter source: the client's address, so throttling can apply per address too.
    func authenticate(user: String, password: String, source: String) async throws -> AuthOutcome
}
