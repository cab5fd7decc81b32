/// What a use case tells an interface when it did not do what was asked. One case per kind of
/// outcome a person must act on differently; each interface maps them to its own wire form
/// (the console to reply codes, the HTTP API to statuses) in one place, and never reads the
/// message to decide anything.
public enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such record, or not visible to this user (the two are deliberately the same).
    case notFound(String)
    /// Illegal transition, duplicate, a state the request cannot change.
    case conflict(String)
    /// The record changed since the version the caller named (a case's, need's or referral's
    /// `version`): re-read it and decide again. Distinct from `conflict` so the HTTP API can
    /// answer 412 to a stale `If-Match`; the console replies to both alike (551).
    case staleVersion(String)
    /// The person's consent is needed first.
    case consentRequired(String)
    /// Database unavailable or a transient fault; nothing was done, retrying is safe.
    case unavailable(String)
    /// An input is wrong; `argument` names it as the caller sent it.
    case badArgument(argument: String, message: String)
    /// This role, organisation or side may not do this.
    case permissionDenied(String)
    /// The session's credentials ended (its user was locked, removed, or given a new password
    /// or role); the interface signs the session out.
    case sessionEnded(String)
    /// A limit of this user's share was reached (heavy queries at once, bulk-read rate); nothing
    /// was done, retrying later is safe, the text says when or why.
    case busy(String)

    public var description: String {
        switch self {
        case .notFound(let text), .conflict(let text), .staleVersion(let text), .consentRequired(let text),
            .unavailable(let text),
            .permissionDenied(let text), .sessionEnded(let text), .busy(let text):
            text
        case .badArgument(let argument, let message):
            "\(argument): \(message)"
        }
    }
}
