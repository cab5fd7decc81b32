import Foundation

/// Who started a transfer: the owner offering the case, or the receiving side asking for it.
public enum TransferKind: String, Sendable, CaseIterable {
    case proposal, request
}

/// Where a transfer stands. Open while proposed or requested; then accepted, declined or
/// cancelled for good.
public enum TransferStatus: String, Sendable, CaseIterable {
    case proposed, requested, accepted, declined, cancelled

    public var isOpen: Bool { self == .proposed || self == .requested }
}

/// Why a case is transferred (Primero's transfer reasons, shortened).
public enum TransferReason: String, Sendable, CaseIterable {
    case movedArea = "moved_area"
    case specialisedServices = "specialised_services"
    case capacity
    case personRequest = "person_request"
    case other
}

/// Why an open transfer was cancelled or declined.
public enum TransferEndReason: String, Sendable, CaseIterable {
    case consentWithdrawn = "consent_withdrawn"
    case noCapacity = "no_capacity"
    case notEligible = "not_eligible"
    case enteredInError = "entered_in_error"
    case other
}

/// One transfer of a case between two organisations, as either party sees it.
public struct TransferRecord: Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    public var from: String
    public var to: String
    public var kind: TransferKind
    public var status: TransferStatus
    public var reason: String
    public var consent: Bool
    public var initiatedBy: String
    public var initiatedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionReason: String?

    public init(
        id: Int64, caseID: Int64, from: String, to: String, kind: TransferKind, status: TransferStatus,
        reason: String, consent: Bool, initiatedBy: String, initiatedAt: Date, decidedBy: String? = nil,
        decidedAt: Date? = nil, decisionReason: String? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.from = from
        self.to = to
        self.kind = kind
        self.status = status
        self.reason = reason
        self.consent = consent
        self.initiatedBy = initiatedBy
        self.initiatedAt = initiatedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
    }
}

/// One owner in a case's history: from when (the case's opening, or an accepted transfer) until
/// when (the next accepted transfer; nil while it owns the case).
public struct CaseOwnership: Sendable, Equatable {
    public var organisation: String
    public var since: Date
    public var until: Date?

    public init(organisation: String, since: Date, until: Date?) {
        self.organisation = organisation
        self.since = since
        self.until = until
    }
}

/// The decisions about a transfer that do not need the database: which side may decide, who
/// may cancel. The acting organisation is compared by id.
public enum TransferRules {
    /// The organisation whose supervisor accepts or declines: the receiving side for a
    /// proposal, the owner for a request.
    public static func decidingOrganisation(kind: TransferKind, from: Int64, to: Int64) -> Int64 {
        kind == .proposal ? to : from
    }

    /// Whether a transfer in `status` may still be accepted, declined or cancelled.
    public static func isOpen(_ status: TransferStatus) -> Bool { status.isOpen }

    /// The owners of a case from its opening: the first owner since `openedAt`, then each
    /// accepted transfer's receiving side since its decision (transfers oldest first).
    public static func owners(
        openedAt: Date, currentOwner: String, accepted: [(from: String, to: String, at: Date)]
    ) -> [CaseOwnership] {
        guard let first = accepted.first else {
            return [CaseOwnership(organisation: currentOwner, since: openedAt, until: nil)]
        }
        var owners = [CaseOwnership(organisation: first.from, since: openedAt, until: first.at)]
        for (index, transfer) in accepted.enumerated() {
            let until = index + 1 < accepted.count ? accepted[index + 1].at : nil
            owners.append(CaseOwnership(organisation: transfer.to, since: transfer.at, until: until))
        }
        return owners
    }
}
