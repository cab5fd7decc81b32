import Foundation

/// A case as stored: its facts, the rule result of those facts, and the category in force.
/// (Read from the store, shown by every interface; the store decodes it from its rows.)
public struct CaseRecord: Sendable, Equatable {
    public let id: Int64
    public let organisationID: Int64
    public let ref: String
    public let caseworker: String
    public let facts: CaseFacts
    public let version: Int
    /// The rule result for the current facts, as the contract's result line (section 4).
    public let classificationJSON: String
    /// The category in force: the rule's primary, or the latest supervisor override.
    public let primaryCategory: String
    public let categories: [String]
    public let review: Bool
    public let overridden: Bool
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: Int64, organisationID: Int64, ref: String, caseworker: String, facts: CaseFacts, version: Int,
        classificationJSON: String, primaryCategory: String, categories: [String], review: Bool, overridden: Bool,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.ref = ref
        self.caseworker = caseworker
        self.facts = facts
        self.version = version
        self.classificationJSON = classificationJSON
        self.primaryCategory = primaryCategory
        self.categories = categories
        self.review = review
        self.overridden = overridden
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The primary category of the rule result (not of an override).
    public var rulePrimaryCategory: String { categories.first ?? MovementCategory.unclassifiedID }

    /// A supervisor's override is in force, and the rules now say otherwise: after the facts
    /// changed, or after the rules themselves changed (`passage reclassify`). The override stays
    /// in force; the case tells the supervisor to look again.
    public var overrideDiffersFromRule: Bool { overridden && primaryCategory != rulePrimaryCategory }
}
