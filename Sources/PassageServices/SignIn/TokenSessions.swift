import Foundation
import PassageCore

/// A token session just opened (HTTP API, web pages; Docs/security.md "13. API session tokens").
public struct OpenedSession: Sendable, Equatable {
    /// The bearer token: 43 characters of base64url. Given to the client here and nowhere else;
    /// the store keeps only its SHA-256, and no log or audit entry holds it.
    public let token: String
    /// When the session stops working unless signed out or ended before.
    public let expires: Date
    /// Who signed in, with the credentials every later transaction is checked against.
    public let actor: Actor

    public init(token: String, expires: Date, actor: Actor) {
        self.token = token
        self.expires = expires
        self.actor = actor
    }
}

/// How opening a token session ended: `SignInResult`'s outcomes, with the session.
public enum SessionOpening: Sendable, Equatable {
    case opened(OpenedSession)
    /// Wrong name or password, or a locked account (indistinguishable on purpose).
    case failed
    /// Too many failed attempts from this address or network, or too many attempts at all.
    case locked
}

/// How long a token session lasts.
public enum TokenSessionLifetime {
    /// `passage serve`'s default (a working day).
    public static let standard: Duration = .seconds(8 * 3600)
    /// Bounds of a lifetime asked for: a session shorter than a minute is of no use, and one
    /// longer than 30 days outlives any reason to keep a bearer token.
    public static let shortest: Duration = .seconds(60)
    public static let longest: Duration = .seconds(30 * 24 * 3600)

    static func checked(_ lifetime: Duration) throws(ServiceError) -> Duration {
        guard lifetime >= shortest, lifetime <= longest else {
            throw .badArgument(
                argument: "lifetime",
                message: "a session lasts from 1 minute to 30 days, not \(lifetime.components.seconds) seconds")
        }
        return lifetime
    }

    /// Said for every token that does not (or no longer) open a session: unknown, expired,
    /// signed out, or ended with its credentials. One text, so the answer does not tell which.
    static let ended =
        "session ended: the token is unknown, expired or signed out, or the account was locked, removed or changed; sign in again"
    /// Said for a token that cannot be one (wrong length or characters), refused unasked.
    static let malformed = "session ended: the token is not a session token; sign in again"
}
