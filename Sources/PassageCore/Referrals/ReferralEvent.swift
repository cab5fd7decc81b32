/// What someone asks to happen to a referral. Each event has one target status and one side
/// that may ask for it.
public enum ReferralEvent: Sendable, Hashable {
    case accept
    case decline(reason: String)
    case complete(ReferralOutcome)
    case cancel(reason: String)

    /// The state this event leads to.
    public var target: ReferralState {
        switch self {
        case .accept: .accepted
        case .decline(let reason): .declined(reason: reason)
        case .complete(let outcome): .completed(outcome)
        case .cancel(let reason): .cancelled(reason: reason)
        }
    }

    /// Who may ask for it: the provider answers and closes its work; the referrer withdraws.
    public var side: ReferralSide {
        switch self {
        case .accept, .decline, .complete: .receiving
        case .cancel: .referring
        }
    }

    /// The reason-code list (`referral_reasons.kind`) this event's reason must come from.
    public var reasonKind: String? {
        switch self {
        case .accept, .complete(.successful): nil
        case .decline: "declined"
        case .complete(.unsuccessful): "unsuccessful"
        case .cancel: "cancelled"
        }
    }
}

/// A `REFERRAL SET` request (status, outcome, reason as typed) checked for completeness and
/// turned into an event: a decline, a cancellation and an unsuccessful completion need a
/// reason; a completion needs an outcome; nothing carries what it does not use.
public struct ReferralRequest: Sendable, Equatable {
    public let event: ReferralEvent

    public var target: ReferralState { event.target }

    public init(status: ReferralStatus, outcome: String?, reason: String?) throws(ReferralRequestError) {
        let reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        switch status {
        case .pending:
            throw .notATransition
        case .accepted:
            guard outcome == nil else { throw .unexpectedOutcome(status) }
            guard reason == nil else { throw .unexpectedReason(status) }
            event = .accept
        case .declined, .cancelled:
            guard outcome == nil else { throw .unexpectedOutcome(status) }
            guard let reason else { throw .missingReason(status) }
            event = status == .declined ? .decline(reason: reason) : .cancel(reason: reason)
        case .completed:
            switch outcome {
            case nil: throw .missingOutcome
            case "successful":
                guard reason == nil else { throw .unexpectedReason(status) }
                event = .complete(.successful)
            case "unsuccessful":
                guard let reason else { throw .missingReason(status) }
                event = .complete(.unsuccessful(reason: reason))
            case let other?: throw .unknownOutcome(other)
            }
        }
    }
}

/// Why a request could not even be read as an event (console: 501, naming the argument).
public enum ReferralRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case notATransition
    case missingReason(ReferralStatus)
    case unexpectedReason(ReferralStatus)
    case missingOutcome
    case unexpectedOutcome(ReferralStatus)
    case unknownOutcome(String)

    /// The argument at fault, as the console names it.
    public var argument: String {
        switch self {
        case .notATransition: "status"
        case .missingReason, .unexpectedReason: "reason"
        case .missingOutcome, .unexpectedOutcome, .unknownOutcome: "outcome"
        }
    }

    public var description: String {
        switch self {
        case .notATransition:
            "a referral is pending only when it is made; choose accepted, declined, completed or cancelled"
        case .missingReason(let status):
            status == .completed
                ? "an unsuccessful completion needs a reason code" : "\(status.rawValue) needs a reason code"
        case .unexpectedReason(let status):
            "\(status.rawValue) takes no reason (only declined, cancelled and unsuccessful completions do)"
        case .missingOutcome: "completed needs outcome=successful or outcome=unsuccessful"
        case .unexpectedOutcome(let status): "only completed takes an outcome, not \(status.rawValue)"
        case .unknownOutcome(let value): "outcome must be successful or unsuccessful, not \(value)"
        }
    }
}
