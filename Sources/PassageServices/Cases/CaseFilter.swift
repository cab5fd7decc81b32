import PassageCore

/// Which of an organisation's cases a list shows, in id order.
public struct CaseFilter: Sendable, Equatable {
    /// Only cases whose category in force is this one.
    public var category: MovementCategory?
    /// Only cases whose classification needs a person to look at it.
    public var reviewOnly: Bool
    /// Cases with a larger id (paging on from the last one seen).
    public var after: Int64?
    public var limit: Int

    public init(category: MovementCategory? = nil, reviewOnly: Bool = false, after: Int64? = nil, limit: Int = 50) {
        self.category = category
        self.reviewOnly = reviewOnly
        self.after = after
        self.limit = limit
    }
}
