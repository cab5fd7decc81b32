import PassageCore

/// The use cases of protection needs: recording one on a case, listing a case's needs, and
/// marking one met or withdrawn or reopening it. In the case's organisation only, each read and
/// change audited in its own transaction.
public protocol NeedService: Sendable {
    /// Records a need on its case (`NEED ADD`).
    func add(_ need: NewNeed, by actor: Actor) async throws(ServiceError) -> NeedRecord
    /// The needs of a case with status and version, all or a page of them; a bulk read (`NEED LIST`).
    func list(_ filter: NeedFilter, by actor: Actor) async throws(ServiceError) -> [NeedRecord]
    /// Moves need `needID` to `status`, provided it is still at `expectedVersion` when one is
    /// given (`NEED SET`).
    func setStatus(of needID: Int64, to status: NeedStatus, expectedVersion: Int?, by actor: Actor)
        async throws(ServiceError) -> NeedRecord
}

extension NeedService {
    /// All the needs of case `caseID` (`NEED LIST`).
    public func list(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [NeedRecord] {
        try await list(NeedFilter(caseID: caseID), by: actor)
    }
}
