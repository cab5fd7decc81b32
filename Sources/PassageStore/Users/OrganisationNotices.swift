import Foundation
import PassageCore
import Postgres

/// What an organisation's supervisors must see of other organisations' administrators acting
/// on its accounts, and the confirmation such an account waits for (Schema/0011,
/// Docs/security.md "7. Separation of duties").
///
/// An administrator of another organisation who creates, resets, unlocks or changes the role of
/// one of its users leaves a notice; when the organisation has a supervisor who could confirm,
/// the account also waits (disabled) until one does, so the administrator cannot sign in with the
/// password they chose and read the organisation's cases. An organisation with cases and no
/// supervisor to confirm is refused such a change: its own administrator or the operator
/// (`passage user …`) must make it.
public enum OrganisationNotices {
    /// What a change by an administrator of another organisation needs.
    public enum Requirement: Sendable, Equatable {
        /// The administrator belongs to the organisation: nothing beyond the audit log.
        case ownOrganisation
        /// A notice only: the organisation holds no case and has no supervisor yet (being set up).
        case noticeOnly
        /// A notice, and the account waits for a supervisor's confirmation.
        case confirmation
    }

    /// The account a change is about.
    public struct Target: Sendable, Equatable {
        public var userID: Int64
        public var organisationID: Int64
        public var organisation: String
    }

    public static func target(user name: String, on connection: PostgresConnection) throws -> Target {
        let rows = try connection.query(
            """
            SELECT u.id, u.organisation_id, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.name = \(name)
            """)
        guard let row = rows.first else { throw StoreError.notFound("user \(name)") }
        let (userID, organisationID, organisation) = try row.decode((Int64, Int64, String).self)
        return Target(userID: userID, organisationID: organisationID, organisation: organisation)
    }

    /// What `actorOrganisation`'s administrator changing `target` needs; throws `conflict` when
    /// nobody in the organisation could confirm it and it holds cases.
    public static func requirement(actorOrganisation: String, target: Target, on connection: PostgresConnection) throws
        -> Requirement
    {
        guard actorOrganisation != target.organisation else { return .ownOrganisation }
        let row = try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM users WHERE organisation_id = \(target.organisationID) AND role = 'supervisor'
                                                AND NOT disabled AND id <> \(target.userID)),
                   EXISTS (SELECT 1 FROM cases WHERE organisation_id = \(target.organisationID))
            """)[0]
        let (supervised, holdsCases) = try row.decode((Bool, Bool).self)
        if supervised { return .confirmation }
        if holdsCases {
            throw StoreError.conflict(
                "organisation \(target.organisation) holds cases and has no supervisor who could confirm this change: an administrator of \(target.organisation), or the operator with `passage user`, must make it"
            )
        }
        return .noticeOnly
    }

    /// Records the notice and, when required, makes the account wait for confirmation; returns
    /// whether it waits.
    @discardableResult
    public static func record(
        _ requirement: Requirement, action: String, target: Target, subject: String, detail: String,
        actor: String, actorOrganisation: String, on connection: PostgresConnection
    ) throws -> Bool {
        guard requirement != .ownOrganisation else { return false }
        let awaits = requirement == .confirmation
        if awaits {
            try connection.execute("UPDATE users SET awaiting_confirmation = true WHERE id = \(target.userID)")
        }
        let text =
            detail
            + (awaits
                ? (detail.isEmpty ? "" : "; ") + "awaits confirmation by a supervisor (USER CONFIRM \(subject))" : "")
        try connection.execute(
            """
            INSERT INTO organisation_notices (organisation_id, actor, actor_organisation, action, subject, detail)
            VALUES (\(target.organisationID), \(actor), \(actorOrganisation), \(action), \(subject), \(text))
            """)
        return awaits
    }

    /// A supervisor of `organisation` confirms `name`: the account may sign in again.
    public static func confirm(
        user name: String, organisation: Int64, supervisor: String, supervisorOrganisation: String,
        on connection: PostgresConnection
    ) throws {
        let changed = try connection.execute(
            """
            UPDATE users SET awaiting_confirmation = false, disabled = false
             WHERE name = \(name) AND organisation_id = \(organisation) AND awaiting_confirmation
            """)
        guard changed == 1 else { throw StoreError.notFound("user \(name) awaiting confirmation in your organisation") }
        try connection.execute(
            """
            INSERT INTO organisation_notices (organisation_id, actor, actor_organisation, action, subject, detail)
            VALUES (\(organisation), \(supervisor), \(supervisorOrganisation), 'user.confirm', \(name), 'may sign in again')
            """)
    }

    /// The latest `count` notices of `organisation`, newest first; with `before`, those older
    /// than that notice (paging).
    public static func latest(
        _ count: Int, before: Int64? = nil, organisation: Int64, on connection: PostgresConnection
    ) throws -> [OrganisationNotice] {
        try connection.query(
            """
            SELECT id, at, actor, actor_organisation, action, subject, detail FROM organisation_notices
             WHERE organisation_id = \(organisation) AND id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(count)
            """
        ).map { row in
            let (id, at, actor, actorOrganisation, action, subject, detail) =
                try row.decode((Int64, Date, String, String, String, String, String).self)
            return OrganisationNotice(
                id: id, at: at, actor: actor, actorOrganisation: actorOrganisation, action: action,
                subject: subject, detail: detail)
        }
    }
}
