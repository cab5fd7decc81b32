import Foundation

/// How the person's consent stands when a referral is made (decided by `ConsentGate`).
public enum ReferralConsent: Sendable, Equatable {
    /// The person consented to their information being shared with the provider.
    case given
    /// No recorded consent, but a supervisor referred anyway, with a reason (audited).
    case overridden(supervisor: String, reason: String)
}

/// A `REFER` request: which need of which case goes to which provider, and on what terms.
public struct ReferralOrder: Sendable, Equatable {
    public var caseID: Int64
    public var needID: Int64
    public var providerID: Int64
    /// nil: the need's priority.
    public var priority: String?
    public var consent: ReferralConsent
    /// Whether the caregiver was informed; required when the person is under 18.
    public var caregiverInformed: Bool?
    /// The provider's service to use; by default the first it offers for the need.
    public var service: String?
    public var idempotencyKey: String?
    public var note: String?

    public init(
        caseID: Int64, needID: Int64, providerID: Int64, priority: String? = nil, consent: ReferralConsent,
        caregiverInformed: Bool? = nil, service: String? = nil, idempotencyKey: String? = nil, note: String? = nil
    ) {
        self.caseID = caseID
        self.needID = needID
        self.providerID = providerID
        self.priority = priority
        self.consent = consent
        self.caregiverInformed = caregiverInformed
        self.service = service
        self.idempotencyKey = idempotencyKey
        self.note = note
    }
}

/// The outcome of `REFER`: the referral, and whether this request made it (false when an
/// idempotency key found the one an earlier request made).
public struct ReferralMade: Sendable, Equatable {
    public let id: Int64
    public let status: ReferralStatus
    public let priority: String
    public let dueAt: Date
    public let version: Int
    public let created: Bool

    public init(id: Int64, status: ReferralStatus, priority: String, dueAt: Date, version: Int, created: Bool) {
        self.id = id
        self.status = status
        self.priority = priority
        self.dueAt = dueAt
        self.version = version
        self.created = created
    }
}

/// What the provider is shown of a consenting person while the referral is open: names and
/// phone, never the date of birth or documents.
public struct ReferralContact: Sendable, Equatable {
    public let names: [String]
    public let phone: String?

    public init(names: [String], phone: String?) {
        self.names = names
        self.phone = phone
    }
}

/// A referral as either side sees it (`referral_views`): the referral itself, the need's code,
/// the person's age band, sex and language, and contact details only when the person consented.
/// `caseID` is nil for a viewer whose organisation did not make the referral: the receiving
/// side never learns which case of the other organisation it is.
public struct ReferralView: Sendable, Equatable {
    public let id: Int64
    public let caseID: Int64?
    public let needID: Int64
    public let needCode: String
    public let providerID: Int64
    public let providerName: String
    public let referringOrganisation: String
    public let service: String
    public let priority: String
    public let state: ReferralState
    public let consent: Bool
    public let consentOverrideBy: String?
    public let consentOverrideReason: String?
    public let caregiverInformed: Bool?
    public let createdBy: String
    public let createdAt: Date
    public let dueAt: Date
    public let overdue: Bool
    public let version: Int
    public let ageBand: String?
    public let sex: String?
    public let language: String?
    /// Names and phone, present only when consent was given (never on an override).
    public let contact: ReferralContact?
    /// The sides the viewer's organisation holds.
    public let sides: Set<ReferralSide>

    public init(
        id: Int64, caseID: Int64?, needID: Int64, needCode: String, providerID: Int64, providerName: String,
        referringOrganisation: String, service: String, priority: String, state: ReferralState, consent: Bool,
        consentOverrideBy: String?, consentOverrideReason: String?, caregiverInformed: Bool?, createdBy: String,
        createdAt: Date, dueAt: Date, overdue: Bool, version: Int, ageBand: String?, sex: String?, language: String?,
        contact: ReferralContact?, sides: Set<ReferralSide>
    ) {
        self.id = id
        self.caseID = caseID
        self.needID = needID
        self.needCode = needCode
        self.providerID = providerID
        self.providerName = providerName
        self.referringOrganisation = referringOrganisation
        self.service = service
        self.priority = priority
        self.state = state
        self.consent = consent
        self.consentOverrideBy = consentOverrideBy
        self.consentOverrideReason = consentOverrideReason
        self.caregiverInformed = caregiverInformed
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.overdue = overdue
        self.version = version
        self.ageBand = ageBand
        self.sex = sex
        self.language = language
        self.contact = contact
        self.sides = sides
    }
}

/// One `referral_events` row.
public struct ReferralEventEntry: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let record: ReferralEventRecord
    public let note: String?

    public init(id: Int64, at: Date, actor: String, record: ReferralEventRecord, note: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.record = record
        self.note = note
    }
}

/// A referral with its history, oldest event first (`REFERRAL SHOW`).
public struct ReferralDetail: Sendable, Equatable {
    public let referral: ReferralView
    public let events: [ReferralEventEntry]

    public init(referral: ReferralView, events: [ReferralEventEntry]) {
        self.referral = referral
        self.events = events
    }
}

/// The result of `REFERRAL SET`.
public struct ReferralMoved: Sendable, Equatable {
    public let id: Int64
    public let from: ReferralStatus
    public let state: ReferralState
    public let version: Int

    public init(id: Int64, from: ReferralStatus, state: ReferralState, version: Int) {
        self.id = id
        self.from = from
        self.state = state
        self.version = version
    }
}

/// What `REFERRAL LIST` filters by.
public struct ReferralFilter: Sendable, Equatable {
    public var caseID: Int64?
    public var status: ReferralStatus?
    public var overdueOnly: Bool
    /// Only the referrals the viewer's organisation made (`referring`: outgoing) or received
    /// (`receiving`: incoming); nil: both.
    public var side: ReferralSide?
    public var after: Int64?
    public var limit: Int

    public init(
        caseID: Int64? = nil, status: ReferralStatus? = nil, overdueOnly: Bool = false, side: ReferralSide? = nil,
        after: Int64? = nil, limit: Int = 100
    ) {
        self.caseID = caseID
        self.status = status
        self.overdueOnly = overdueOnly
        self.side = side
        self.after = after
        self.limit = limit
    }
}
