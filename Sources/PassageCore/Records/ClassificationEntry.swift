import Foundation

/// One line of a case's classification history: a rule result or a supervisor's override.
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

    public init(
        caseVersion: Int, source: Source, classifierVersion: String?, primaryCategory: String, resultJSON: String?,
        reason: String?, decidedBy: String, decidedAt: Date
    ) {
        self.caseVersion = caseVersion
        self.source = source
        self.classifierVersion = classifierVersion
        self.primaryCategory = primaryCategory
        self.resultJSON = resultJSON
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}
