import PassageCore

/// Duplicate person records (Docs/finding-persons.md): merging two records of an organisation
/// and undoing it, and the review of candidate duplicate pairs — within an organisation and
/// across organisations, where each side learns only that the other may know the person.
/// Supervisors' decisions; every step audited.
public protocol DuplicateService: Sendable {
    /// Merges the person of case `mergedCase` into the person of case `survivorCase` (`PERSON MERGE`).
    func merge(survivorCase: Int64, mergedCase: Int64, by actor: Actor) async throws(ServiceError) -> PersonMerge
    /// Undoes merge `id` (`PERSON UNMERGE`).
    func unmerge(_ id: Int64, by actor: Actor) async throws(ServiceError) -> PersonMerge
    /// The candidate pairs the actor's organisation is a party to (`DUPLICATE LIST`).
    func pairs(status: DuplicateStatus?, by actor: Actor) async throws(ServiceError) -> [DuplicatePairView]
    /// The actor's organisation's decision on pair `id` (`DUPLICATE CONFIRM|REJECT`).
    func decide(_ id: Int64, _ decision: DuplicateDecision, by actor: Actor) async throws(ServiceError)
        -> DuplicatePairView
    /// The organisation's duplicate rate (`DUPLICATE RATE`).
    func rate(by actor: Actor) async throws(ServiceError) -> DuplicateRate
}

/// Where no duplicate service is built (interfaces' own tests): every use case unavailable.
public struct DuplicatesNotAvailable: DuplicateService {
    public init() {}

    static let refusal = ServiceError.unavailable("duplicate review is not available here")

    public func merge(survivorCase: Int64, mergedCase: Int64, by actor: Actor) async throws(ServiceError)
        -> PersonMerge
    { throw Self.refusal }
    public func unmerge(_ id: Int64, by actor: Actor) async throws(ServiceError) -> PersonMerge { throw Self.refusal }
    public func pairs(status: DuplicateStatus?, by actor: Actor) async throws(ServiceError) -> [DuplicatePairView] {
        throw Self.refusal
    }
    public func decide(_ id: Int64, _ decision: DuplicateDecision, by actor: Actor) async throws(ServiceError)
        -> DuplicatePairView
    { throw Self.refusal }
    public func rate(by actor: Actor) async throws(ServiceError) -> DuplicateRate { throw Self.refusal }
}
