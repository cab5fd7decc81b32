import PassageCore

/// A case's transfer to another organisation (Docs/transfers.md): proposed by the owner with the
/// person's consent, or requested by the receiving side; accepted or declined by a supervisor of
/// the side that did not start it; cancelled by either side while open (consent withdrawn).
/// Each step one transaction with its audit entry.
public protocol TransferService: Sendable {
    /// The owner offers case `caseID` to organisation `to` (`TRANSFER PROPOSE`); `consented`
    /// must be true.
    func propose(caseID: Int64, to: String, reason: TransferReason, consented: Bool, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    /// The actor's organisation asks `owner` for case `caseID` (`TRANSFER REQUEST`).
    func request(caseID: Int64, from owner: String, reason: TransferReason, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    /// Accepts a proposal, or grants a request with the person's consent (`TRANSFER ACCEPT`):
    /// the case, its person, needs and open referrals move to the receiving organisation.
    func accept(_ id: Int64, consented: Bool, by actor: Actor) async throws(ServiceError) -> TransferRecord
    /// Declines an open transfer (`TRANSFER DECLINE`).
    func decline(_ id: Int64, reason: TransferEndReason?, by actor: Actor) async throws(ServiceError) -> TransferRecord
    /// Cancels an open transfer (`TRANSFER CANCEL`), e.g. because the person withdrew consent.
    func cancel(_ id: Int64, reason: TransferEndReason, by actor: Actor) async throws(ServiceError) -> TransferRecord
    /// The transfers the actor's organisation is a party to, or those of one case it owns or
    /// was a party to (`TRANSFER LIST`), oldest first; a page of at most `limit` with ids above
    /// `after` (`GET /v1/transfers`), or all of them when `limit` is nil.
    func list(caseID: Int64?, after: Int64?, limit: Int?, by actor: Actor) async throws(ServiceError)
        -> [TransferRecord]
    /// Every owner of a case the actor's organisation owns, with dates (`TRANSFER HISTORY`).
    func owners(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [CaseOwnership]
}

/// The services of a container built without transfers (interface tests' fakes).
public struct TransfersNotAvailable: TransferService {
    public init() {}
    static let refusal = ServiceError.unavailable("transfers are not available here")
    public func propose(caseID: Int64, to: String, reason: TransferReason, consented: Bool, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    { throw Self.refusal }
    public func request(caseID: Int64, from owner: String, reason: TransferReason, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    { throw Self.refusal }
    public func accept(_ id: Int64, consented: Bool, by actor: Actor) async throws(ServiceError) -> TransferRecord {
        throw Self.refusal
    }
    public func decline(_ id: Int64, reason: TransferEndReason?, by actor: Actor) async throws(ServiceError)
        -> TransferRecord
    { throw Self.refusal }
    public func cancel(_ id: Int64, reason: TransferEndReason, by actor: Actor) async throws(ServiceError)
        -> TransferRecord
    { throw Self.refusal }
    public func list(caseID: Int64?, after: Int64?, limit: Int?, by actor: Actor) async throws(ServiceError)
        -> [TransferRecord]
    { throw Self.refusal }
    public func owners(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [CaseOwnership] {
        throw Self.refusal
    }
}

extension TransferService {
    /// Every transfer at once (`TRANSFER LIST`: the console's table is not paged).
    public func list(caseID: Int64?, by actor: Actor) async throws(ServiceError) -> [TransferRecord] {
        try await list(caseID: caseID, after: nil, limit: nil, by: actor)
    }
}
