import Foundation
import PassageCore

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
}
