import Foundation

/// One merge of two person records of an organisation, as the organisation sees it: persons are
/// named by a case of each (the console never shows person ids). `movedCases` are the cases of
/// the merged-away person that now belong to the survivor; an unmerge moves exactly them back.
public struct PersonMerge: Sendable, Equatable {
    public var id: Int64
    /// The case the surviving person was named by.
    public var survivorCase: Int64
    /// The case the merged-away person was named by.
    public var mergedCase: Int64
    public var movedCases: [Int64]
    public var mergedBy: String
    public var mergedAt: Date
    public var unmergedBy: String?
    public var unmergedAt: Date?

    public init(
        id: Int64, survivorCase: Int64, mergedCase: Int64, movedCases: [Int64], mergedBy: String, mergedAt: Date,
        unmergedBy: String? = nil, unmergedAt: Date? = nil
    ) {
        self.id = id
        self.survivorCase = survivorCase
        self.mergedCase = mergedCase
        self.movedCases = movedCases
        self.mergedBy = mergedBy
        self.mergedAt = mergedAt
        self.unmergedBy = unmergedBy
        self.unmergedAt = unmergedAt
    }

    /// Whether the merge is still in force (not undone).
    public var inForce: Bool { unmergedAt == nil }
}
