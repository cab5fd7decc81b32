import PassageCore
import PassageStore

extension ReclassificationBatch {
    /// The cases per transaction `CaseService.reclassify` takes.
    public static let sizes = CaseReclassification.batchSizes
}
