import Foundation

/// What an organisation's supervisors see of an administrator of another organisation acting
/// on one of its accounts (Docs/security.md "7. Separation of duties").
public struct OrganisationNotice: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let actorOrganisation: String
    /// The audit action's text (`user.add`, `user.confirm` …).
    public let action: String
    /// The user name the change was about.
    public let subject: String
    public let detail: String

    public init(
        id: Int64, at: Date, actor: String, actorOrganisation: String, action: String, subject: String, detail: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.actorOrganisation = actorOrganisation
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}
