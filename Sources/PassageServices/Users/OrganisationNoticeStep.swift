import PassageCore
import PassageStore
import Postgres

/// The step every user add, password, unlock and role change takes inside its transaction: when
/// the administrator belongs to another organisation than the user, a notice for that
/// organisation's supervisors, and the account left waiting for one of them to confirm it
/// (Docs/security.md "7. Separation of duties"). Returns whether the account waits.
enum OrganisationNoticeStep {
    static func apply(
        action: AuditAction, user name: String, detail: String, actor: Actor,
        on connection: PostgresConnection
    ) throws -> Bool {
        guard !actor.isOperator else { return false }
        let target = try OrganisationNotices.target(user: name, on: connection)
        let requirement = try OrganisationNotices.requirement(
            actorOrganisation: actor.organisation, target: target, on: connection)
        return try OrganisationNotices.record(
            requirement, action: action.rawValue, target: target, subject: name, detail: detail,
            actor: actor.name, actorOrganisation: actor.organisation, on: connection)
    }
}
