import Foundation

/// One audit entry as it is read back. `action` is the stored text (an `AuditAction` raw value
/// for every entry written by this version; kept as text so an entry is shown as it was hashed).
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let action: String
    public let subject: String
    public let source: String
    public let detail: String

    public init(id: Int64, at: Date, actor: String, action: String, subject: String, source: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.source = source
        self.detail = detail
    }
}
