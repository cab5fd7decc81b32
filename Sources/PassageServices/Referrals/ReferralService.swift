import PassageCore

/// A referral to make, as the caseworker asks for it: the consent answer and a supervisor's
/// override reason as given (the consent gate decides on them), the rest as in `ReferralOrder`.
public struct NewReferral: Sendable, Equatable {
    public var caseID: Int64
    public var needID: Int64
    public var providerID: Int64
    /// nil: the need's priority.
    public var priority: Priority?
    /// The person consented to their information being shared with the provider.
    public var consented: Bool
    /// A supervisor's reason for referring without consent.
    public var override: String?
    /// Whether the caregiver was informed; required when the person is under 18.
    public var caregiverInformed: Bool?
    /// The provider's service to use; by default the first it offers for the need.
    public var service: ServiceType?
    /// A repeat with the same key returns the same referral.
    public var idempotencyKey: String?
    public var note: String?

    public init(
        caseID: Int64, needID: Int64, providerID: Int64, priority: Priority? = nil, consented: Bool,
        override: String? = nil,
        caregiverInformed: Bool? = nil, service: ServiceType? = nil, idempotencyKey: String? = nil, note: String? = nil
    ) {
        self.caseID = caseID
        self.needID = needID
        self.providerID = providerID
        self.priority = priority
        self.consented = consented
        self.override = override
        self.caregiverInformed = caregiverInformed
        self.service = service
        self.idempotencyKey = idempotencyKey
        self.note = note
    }
}

/// A move of a referral along its lifecycle (`REFERRAL SET`), as asked for.
public struct ReferralChange: Sendable, Equatable {
    public var referral: Int64
    public var status: ReferralStatus
    /// With completed: successful or unsuccessful.
    public var outcome: String?
    /// A reason code (declined, cancelled, unsuccessful).
    public var reason: String?
    /// The version the user last saw; a stale one is refused.
    public var expectedVersion: Int?
    public var note: String?

    public init(
        referral: Int64, status: ReferralStatus, outcome: String? = nil, reason: String? = nil,
        expectedVersion: Int? = nil, note: String? = nil
    ) {
        self.referral = referral
        self.status = status
        self.outcome = outcome
        self.reason = reason
        self.expectedVersion = expectedVersion
        self.note = note
    }
}

/// Referrals between organisations: the referring organisation's caseworkers refer and cancel;
/// the provider organisation's caseworkers accept, decline and complete, and see the case only
/// through the referral. Each use case is one transaction in the actor's organisation scope,
/// with its event row and audit entry.
public protocol ReferralService: Sendable {
    /// Refers a need of a case to a provider, through the consent gate and the eligibility rules
    /// (PassageCore); a repeated idempotency key returns the first referral (`created` false).
    func refer(_ referral: NewReferral, by actor: Actor) async throws(ServiceError) -> ReferralMade
    /// Moves a referral by the side the actor's organisation holds.
    func move(_ change: ReferralChange, by actor: Actor) async throws(ServiceError) -> ReferralMoved
    /// Referrals the actor's organisation made or received, in id order (a bulk read: the actor's
    /// budget applies).
    func list(_ filter: ReferralFilter, by actor: Actor) async throws(ServiceError) -> [ReferralView]
    /// One referral as the actor's side may see it, with its events (every read is audited).
    func show(_ referral: Int64, by actor: Actor) async throws(ServiceError) -> ReferralDetail
}
