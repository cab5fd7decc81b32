import Foundation

/// One protection need of a case, as stored.
public struct NeedRecord: Sendable, Equatable {
    public let id: Int64
    public let caseID: Int64
    /// UNHCR specific-needs code (`LP`, `SV-VA`).
    public let code: String
    public let meaning: String
    /// Human-security dimension of the code (data: `need_codes.dimension`).
    public let dimension: String
    public let priority: String
    public let status: NeedStatus
    public let identifiedBy: String
    public let identifiedAt: Date
    public let note: String?
    public let version: Int
    public let updatedAt: Date

    public init(
        id: Int64, caseID: Int64, code: String, meaning: String, dimension: String, priority: String,
        status: NeedStatus, identifiedBy: String, identifiedAt: Date, note: String?, version: Int, updatedAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.code = code
        self.meaning = meaning
        self.dimension = dimension
        self.priority = priority
        self.status = status
        self.identifiedBy = identifiedBy
        self.identifiedAt = identifiedAt
        self.note = note
        self.version = version
        self.updatedAt = updatedAt
    }
}
