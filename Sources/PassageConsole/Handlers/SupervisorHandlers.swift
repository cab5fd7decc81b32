import Foundation
import PassageCore
import PassageStore
import Postgres

/// `NOTICES` and `USER CONFIRM`: what supervisors see and decide of other organisations'
/// administrators acting on their organisation's accounts (Docs/security.md "7. Separation of
/// duties"). Both are limited to the supervisor's own organisation.
struct SupervisorHandlers: Sendable {
    let store: StoreCall

    func notices(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let supervisor = try invocation.signedInUser()
        let count = invocation.optionalInt("n") ?? 20
        let notices = try await store.transaction { connection in
            try OrganisationNotices.latest(count, organisation: try supervisor.organisationID(on: connection), on: connection)
        }
        let rows: [[ReplyValue]] = notices.map {
            [.int(Int($0.id)), .string(ConsoleTime.text($0.at)), .string($0.actor), .string($0.actorOrganisation),
             .string($0.action), .string($0.subject), .string($0.detail)]
        }
        return .data(.table("notices", columns: ["id", "at", "actor", "actor_organisation", "action", "user", "detail"], rows: rows))
    }

    func userConfirm(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let supervisor = try invocation.signedInUser()
        let name = try invocation.text("user")
        try await store.transaction { connection in
            try OrganisationNotices.confirm(user: name, organisation: try supervisor.organisationID(on: connection), supervisor: supervisor.name,
                                            supervisorOrganisation: supervisor.organisation, on: connection)
            try AuditLog.append(actor: supervisor.name, action: .userConfirm, subject: "user:\(name)", source: session.source,
                                detail: "", on: connection)
        }
        return .ok([ReplyField("user", .string(name))], message: "confirmed: \(name) may sign in")
    }
}
