import PassageCore

/// Retention and erasure by crypto-shredding (Docs/case-life.md "Retention and erasure"):
/// erasing a person on request, each organisation's retention period, and the sweep that
/// erases the persons whose cases have been closed longer than it.
public protocol ErasureService: Sendable {
    /// Erases the person of closed case `caseID` (`PERSON ERASE`): a supervisor of the owning
    /// organisation. Their identifiers open no more anywhere; the case's facts stay.
    func erase(personOfCase caseID: Int64, reason: ErasureReason, by actor: Actor) async throws(ServiceError)
        -> ErasureOutcome
    /// Sets (months after closure) or turns off (nil) the actor's organisation's retention
    /// period (`ORG RETENTION`): an administrator.
    func setRetention(months: Int?, by actor: Actor) async throws(ServiceError)
    /// Erases every person due under their organisation's retention period (the daily sweep,
    /// `passage erase-expired`), audited under `actor`.
    func eraseExpired(by actor: Actor) async throws(ServiceError) -> RetentionSweepReport
    /// Destroys the keyring entries of persons marked erased whose entry survived a failure
    /// between the two databases; how many persons were finished.
    func finishPendingErasures() async throws(ServiceError) -> Int
}

/// What one erasure did: counts only, never content.
public struct ErasureOutcome: Sendable, Equatable {
    /// Person records erased (more than one when records had been merged into the person).
    public var persons: Int
    /// Free-text notes set to NULL.
    public var notes: Int
    /// Whether the keyring entries were destroyed now (false: left to the reconciler).
    public var keysDestroyed: Bool

    public init(persons: Int, notes: Int, keysDestroyed: Bool) {
        self.persons = persons
        self.notes = notes
        self.keysDestroyed = keysDestroyed
    }
}

/// What a retention sweep did.
public struct RetentionSweepReport: Sendable, Equatable {
    /// Persons erased under a retention period.
    public var erased = 0
    /// Persons due but still sealed under the personal-data key itself (`passage pii-key convert`).
    public var stillUnderMasterKey = 0
    /// Persons due whose erasure failed (logged; retried by the next sweep).
    public var failed = 0
    /// Keyring entries destroyed by the reconciler first.
    public var reconciled = 0

    public init() {}
}

/// Where no keyring is configured: no person can be erased by crypto-shredding.
struct ErasureNotAvailable: ErasureService {
    static let why = "erasure needs the keyring (per-person keys): configure --keyring-url, or use the embedded cluster"

    func erase(personOfCase caseID: Int64, reason: ErasureReason, by actor: Actor) async throws(ServiceError)
        -> ErasureOutcome
    { throw .unavailable(Self.why) }
    func setRetention(months: Int?, by actor: Actor) async throws(ServiceError) { throw .unavailable(Self.why) }
    func eraseExpired(by actor: Actor) async throws(ServiceError) -> RetentionSweepReport {
        throw .unavailable(Self.why)
    }
    func finishPendingErasures() async throws(ServiceError) -> Int { 0 }
}
