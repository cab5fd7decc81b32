/// What one batch (or, added up, a whole run) did.
public struct ReclassificationBatch: Sendable, Equatable {
    /// Where the next batch starts.
    public var lastCaseID: Int64
    /// Cases whose new result was written.
    public var reclassified = 0
    /// Of those, cases whose set of categories changed.
    public var changedCategory = 0
    /// Changed cases per change of the contract that explains them (a case may count under
    /// several changes).
    public var changedBy: [ContractChange: Int] = [:]
    /// Overridden cases whose new rule result differs from the category a supervisor set.
    public var overridesDiffering: [Int64] = []
    /// Cases changed by a caseworker between the read and the write: already classified by
    /// that change, so not touched here.
    public var leftAlone = 0
    /// Cases whose stored facts no longer decode (edited by hand): kept as they were.
    public var undecodable: [Int64] = []

    public init(lastCaseID: Int64) {
        self.lastCaseID = lastCaseID
    }

    public mutating func add(_ other: ReclassificationBatch) {
        lastCaseID = max(lastCaseID, other.lastCaseID)
        reclassified += other.reclassified
        changedCategory += other.changedCategory
        changedBy.merge(other.changedBy, uniquingKeysWith: +)
        overridesDiffering += other.overridesDiffering
        leftAlone += other.leftAlone
        undecodable += other.undecodable
    }
}
