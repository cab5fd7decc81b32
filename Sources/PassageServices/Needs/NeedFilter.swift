/// Which of a case's needs a list shows, in id order: all of them (the console's NEED LIST), or
/// a page of them (the HTTP API's cursor pages).
public struct NeedFilter: Sendable, Equatable {
    public var caseID: Int64
    /// Needs with a larger id (paging on from the last one seen).
    public var after: Int64?
    /// At most this many; nil: all.
    public var limit: Int?

    public init(caseID: Int64, after: Int64? = nil, limit: Int? = nil) {
        self.caseID = caseID
        self.after = after
        self.limit = limit
    }
}
