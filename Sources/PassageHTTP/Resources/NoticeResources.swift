import Foundation
import PassageCore

/// An account change an administrator of another organisation made in the supervisor's
/// organisation (NOTICES' row).
struct NoticeResource: Encodable, Sendable {
    let notice: OrganisationNotice

    init(_ notice: OrganisationNotice) { self.notice = notice }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: ReferralResource.Key.self)
        try out.encode(notice.id, forKey: "notice")
        try out.encode(notice.at, forKey: "at")
        try out.encode(notice.actor, forKey: "actor")
        try out.encode(notice.actorOrganisation, forKey: "actor_organisation")
        try out.encode(notice.action, forKey: "action")
        try out.encode(notice.subject, forKey: "user")
        try out.encode(notice.detail, forKey: "detail")
    }

    static let schema = JSONSchema.object(
        [
            ("notice", .integer(minimum: 1)), ("at", .string(format: "date-time")),
            ("actor", .string(description: "the administrator")),
            ("actor_organisation", .string(description: "the administrator's organisation")),
            ("action", .string(description: "the audit action: user.add, user.passwd, user.role, user.unlock …")),
            ("user", .string(description: "the account of your organisation it changed")), ("detail", .string()),
        ], required: ["notice", "at", "actor", "actor_organisation", "action", "user", "detail"])
}

/// What `POST /v1/users/{user}/confirmation` answers.
struct ConfirmationResource: Encodable, Sendable {
    let user: String
    let confirmed: Bool

    static let schema = JSONSchema.object(
        [("user", .string()), ("confirmed", .boolean(description: "always true: the account may sign in"))],
        required: ["user", "confirmed"])
}
