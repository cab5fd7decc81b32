import Foundation
import PassageCore
import PassageStore
import Postgres

/// `USER …`: administrators manage accounts, never case contents (`AUDIT …`: AuditHandlers). Every account change is audited in its own transaction.
struct AdminHandlers: Sendable {
    let store: StoreCall
    let users: UserStore

    func userAdd(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let admin = try invocation.signedInUser()
        let name = try invocation.text("user")
        guard let role = Role(rawValue: try invocation.text("role")) else {
            throw ConsoleError.badArgument(argument: "role", message: "unknown role")
        }
        let password = try invocation.text("password")
        let organisationName = invocation.optionalText("org") ?? OrganisationStore.defaultName
        let users = self.users
        let (account, awaits) = try await store.transaction { connection in
            let organisation = try OrganisationStore.id(named: organisationName, create: true, on: connection)
            let account = try users.add(name: name, role: role, organisation: organisation, password: password, on: connection)
            // Another organisation's account: its supervisors are told, and may have to confirm it.
            let awaits = try OrganisationNoticeStep.apply(action: .userAdd, user: name, detail: "role \(role.rawValue)", admin: admin, on: connection)
            try AuditLog.append(actor: admin.name, action: .userAdd, subject: "user:\(name)", source: session.source,
                                detail: "role \(role.rawValue), organisation \(organisationName)" + (awaits ? ", awaits confirmation" : ""), on: connection)
            return (account, awaits)
        }
        return .ok([ReplyField("user", .string(account.name)), ReplyField("role", .string(account.role.rawValue)),
                    ReplyField("organisation", .string(account.organisation))]
                   + OrganisationNoticeStep.fields(user: name, awaits: awaits, organisation: account.organisation).dropFirst())
    }

    func userPasswd(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        try await change(invocation, session, action: .userPasswd, noticed: true) { users, name, connection in
            try users.setPassword(name: name, password: try invocation.text("password"), on: connection)
        }
    }

    func userLock(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        try await change(invocation, session, action: .userLock) { users, name, connection in
            try users.lock(name: name, on: connection)
        }
    }

    /// A new role; the user's open sessions end (they signed in with the old one).
    func userRole(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        guard let role = Role(rawValue: try invocation.text("role")) else {
            throw ConsoleError.badArgument(argument: "role", message: "unknown role")
        }
        return try await change(invocation, session, action: .userRole, detail: "role \(role.rawValue)", noticed: true) { users, name, connection in
            try users.setRole(name: name, role: role, on: connection)
        }
    }

    /// Removes the account; its open sessions end. The audit trail keeps its name.
    func userRemove(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        try await change(invocation, session, action: .userRemove) { users, name, connection in
            try users.remove(name: name, on: connection)
        }
    }

    func userUnlock(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        try await change(invocation, session, action: .userUnlock, noticed: true) { users, name, connection in
            try users.unlock(name: name, on: connection)
        }
    }

    func userList(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        _ = try invocation.signedInUser()
        let organisation = invocation.optionalText("org")
        let users = self.users
        let accounts = try await store.transaction { try users.list(on: $0) }
            .filter { organisation == nil || $0.organisation == organisation }
        let rows: [[ReplyValue]] = accounts.map { account in
            let state = account.disabled ? "locked" : "active"
            return [.string(account.name), .string(account.role.rawValue), .string(account.organisation), .string(state)]
        }
        return .data(.table("users", columns: ["user", "role", "organisation", "state"], rows: rows))
    }

    /// `noticed`: a change another organisation's supervisors must see (`OrganisationNoticeStep`).
    private func change(_ invocation: Invocation, _ session: Session, action: AuditAction, detail: String = "", noticed: Bool = false,
                        _ body: @escaping @Sendable (UserStore, String, PostgresConnection) throws -> Void) async throws -> Reply {
        let admin = try invocation.signedInUser()
        let name = try invocation.text("user")
        let users = self.users
        let awaits = try await store.transaction { connection in
            try body(users, name, connection)
            let awaits = noticed ? try OrganisationNoticeStep.apply(action: action, user: name, detail: detail, admin: admin, on: connection) : false
            try AuditLog.append(actor: admin.name, action: action, subject: "user:\(name)", source: session.source,
                                detail: detail + (awaits ? (detail.isEmpty ? "" : ", ") + "awaits confirmation" : ""), on: connection)
            return awaits
        }
        return .ok(OrganisationNoticeStep.fields(user: name, awaits: awaits))
    }
}
