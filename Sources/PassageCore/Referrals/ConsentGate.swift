import Foundation

/// The consent gate of a referral: a person's information goes to a provider only with their
/// consent (consent=yes), or, without it, on a supervisor's override with a reason. Decided
/// before anything is read or written, the same for every interface.
public enum ConsentGate {
    /// `consented`: the person's answer as recorded. `override`: a supervisor's reason for
    /// referring without consent, as given (surrounding white space is not a reason).
    public static func decide(consented: Bool, override: String?, by name: String, role: Role) throws(ConsentRefusal)
        -> ReferralConsent
    {
        let override = override?.trimmingCharacters(in: .whitespacesAndNewlines)
        if consented {
            guard override == nil else { throw .overrideWithConsent }
            return .given
        }
        guard let override else { throw .consentRequired }
        guard role == .supervisor else { throw .notSupervisor }
        guard !override.isEmpty else { throw .emptyReason }
        return .overridden(supervisor: name, reason: override)
    }
}

/// Why the consent gate stays shut.
public enum ConsentRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// consent=yes with an override: there is nothing to override (a bad argument: `override`).
    case overrideWithConsent
    /// consent=no without an override: the person's consent is needed first.
    case consentRequired
    /// An override by someone who is not a supervisor.
    case notSupervisor
    /// An override without a reason (a bad argument: `override`).
    case emptyReason

    public var description: String {
        switch self {
        case .overrideWithConsent: "only with consent=no: there is nothing to override when the person consented"
        case .consentRequired:
            "consent required: record the person's consent (consent=yes), or a supervisor may refer with override=\"reason\""
        case .notSupervisor: "only a supervisor may refer without consent"
        case .emptyReason: "must give the reason"
        }
    }
}
