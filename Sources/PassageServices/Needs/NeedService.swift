import PassageCore

/// The use cases of protection needs: recording one on a case, listing a case's needs, and
/// marking one met or withdrawn or reopening it. In the case's organisation only, each read and
/// change audited in its own transaction.
public protocol NeedService: Sendable {
    /// Records a need on its case (`NEED ADD`).
    func add(_ need: NewNeed, by actor: Actor) async throws(ServiceError) -> NeedRecord
    /// The needs of case `caseID` with status and version; a bulk read (`NEED LIST`).
    func list(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [NeedRecord]
    /// Moves need `needID` to `status`, provided it is still at `expectedVersion` when one is
    /// given (`NEED SET`).
    func setStatus(of needID: Int64, to status: NeedStatus, expectedVersion: Int?, by actor: Actor)
        async throws(ServiceError) -> NeedRecord
}
