import Foundation

/// What a case list shows: no facts, just enough to pick a case.
public struct CaseSummary: Sendable, Equatable {
    public let id: Int64
    public let ref: String
    public let version: Int
    public let primaryCategory: String
    public let review: Bool
    public let updatedAt: Date

    public init(id: Int64, ref: String, version: Int, primaryCategory: String, review: Bool, updatedAt: Date) {
        self.id = id
        self.ref = ref
        self.version = version
        self.primaryCategory = primaryCategory
        self.review = review
        self.updatedAt = updatedAt
    }
}
