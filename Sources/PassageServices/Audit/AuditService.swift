import PassageCore

/// What a verification of the audit chain found, when the chain holds.
public struct AuditChainIntact: Sendable, Equatable {
    /// Entries in the chain.
    public let entries: Int
    /// Anchors kept outside the database that the chain matched; nil when none are kept.
    public let anchors: Int?

    public init(entries: Int, anchors: Int?) {
        self.entries = entries
        self.anchors = anchors
    }
}

/// Reading and checking the audit trail, and recording refused requests (Docs/security.md "6. Audit").
public protocol AuditService: Sendable {
    /// The newest `count` entries, newest last (a bulk read: the actor's budget applies).
    func tail(_ count: Int, by actor: Actor) async throws(ServiceError) -> [AuditEntry]

    /// Walks the chain, then checks every anchor against it; a chain that holds is anchored
    /// again. A broken or rewritten chain is a `conflict` naming where.
    func verify(by actor: Actor) async throws(ServiceError) -> AuditChainIntact

    /// "Who saw my data": every audited read and change of the record of the person of case
    /// `caseID` (its cases and their referrals), oldest first, for a data-protection officer
    /// (`AUDIT PERSON`, Docs/case-life.md); itself audited (`audit.person`).
    func personAccess(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [PersonAccess]

    /// Writes a refused request as an `access.refused` entry, within the per-user refusal
    /// budget (`RefusalLimiter`). Never fails the request it is about: a failed write is logged.
    func recordRefusal(_ refusal: Refusal, source: String) async
}
