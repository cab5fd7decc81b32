import PassageCore
import PassageStore
import Postgres

/// The step every `USER ADD`, `PASSWD`, `UNLOCK` and `ROLE` takes inside its transaction: when
/// the administrator belongs to another organisation than the user, a notice for that
/// organisation's supervisors, and the account left waiting for one of them to confirm it
/// (Docs/security.md "7. Separation of duties"). Returns whether the account waits.
enum OrganisationNoticeStep {
    static func apply(action: AuditAction, user name: String, detail: String, admin: SignedInUser,
                      on connection: PostgresConnection) throws -> Bool {
        let target = try OrganisationNotices.target(user: name, on: connection)
        let requirement = try OrganisationNotices.requirement(actorOrganisation: admin.organisation, target: target, on: connection)
        return try OrganisationNotices.record(requirement, action: action.rawValue, target: target, subject: name, detail: detail,
                                              actor: admin.name, actorOrganisation: admin.organisation, on: connection)
    }

    /// The reply's fields: the user, and whether the account now waits for a supervisor.
    static func fields(user: String, awaits: Bool, organisation: String? = nil) -> [ReplyField] {
        var fields = [ReplyField("user", .string(user))]
        if awaits { fields.append(ReplyField("awaiting_confirmation", .string("supervisor of \(organisation ?? "the user's organisation")"))) }
        return fields
    }
}
