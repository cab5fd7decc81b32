import Foundation
import PassageCore

/// A case as stored: its facts, the rule result of those facts, and the category in force.
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

    /// The primary category of the rule result (not of an override).
    public var rulePrimaryCategory: String { categories.first ?? MovementCategory.unclassifiedID }

    /// A supervisor's override is in force, and the rules now say otherwise: after the facts
    /// changed, or after the rules themselves changed (`passage reclassify`). The override stays
    /// in force; the case tells the supervisor to look again.
    public var overrideDiffersFromRule: Bool { overridden && primaryCategory != rulePrimaryCategory }
}

/// One line of a case's classification history.
public struct ClassificationEntry: Sendable, Equatable {
    public enum Source: String, Sendable { case rule, override }
    public let caseVersion: Int
    public let source: Source
    public let classifierVersion: String?
    public let primaryCategory: String
    public let resultJSON: String?
    public let reason: String?
    public let decidedBy: String
    public let decidedAt: Date
}

/// What a case list shows: no facts, just enough to pick a case.
public struct CaseSummary: Sendable, Equatable {
    public let id: Int64
    public let ref: String
    public let version: Int
    public let primaryCategory: String
    public let review: Bool
    public let updatedAt: Date
}
