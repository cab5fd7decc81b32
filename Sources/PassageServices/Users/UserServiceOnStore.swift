import PassageCore
import PassageStore
import Postgres

/// UserService over PassageStore: each use case one transaction with its audit entry. User
/// administration runs without an organisation scope (the owning role; accounts are not case data).
struct UserServiceOnStore: UserService {
    let store: StoreWork
    let users: UserStore
    let bulkReads: BulkReadLimit?

    func add(_ user: NewUser, by actor: Actor) async throws(ServiceError) -> (
        account: UserRecord, change: AccountChange
    ) {
        let users = self.users
        let organisationName = user.organisation ?? OrganisationStore.defaultName
        let role = user.role
        let result = try await store.transaction(actor) { connection -> (UserAccount, Bool) in
            let organisation = try OrganisationStore.id(named: organisationName, create: true, on: connection)
            let account = try users.add(
                name: user.name, role: role, organisation: organisation, password: user.password, on: connection)
            // Another organisation's account: its supervisors are told, and may have to confirm it.
            let awaits = try OrganisationNoticeStep.apply(
                action: .userAdd, user: user.name, detail: "role \(role.rawValue)",
                actor: actor, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .userAdd, subject: "user:\(user.name)", source: actor.source,
                detail: "role \(role.rawValue), organisation \(organisationName)"
                    + (awaits ? ", awaits confirmation" : ""),
                on: connection)
            return (account, awaits)
        }
        let (account, awaits) = result
        return (Self.record(account), AccountChange(user: account.name, awaitsConfirmation: awaits))
    }

    func setPassword(of user: String, to password: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    {
        try await change(user, by: actor, action: .userPasswd, noticed: true) { users, connection in
            try users.setPassword(name: user, password: password, on: connection)
        }
    }

    func lock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange {
        try await change(user, by: actor, action: .userLock) { users, connection in
            try users.lock(name: user, on: connection)
        }
    }

    func unlock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange {
        try await change(user, by: actor, action: .userUnlock, noticed: true) { users, connection in
            try users.unlock(name: user, on: connection)
        }
    }

    func setRole(of user: String, to role: Role, by actor: Actor) async throws(ServiceError) -> AccountChange {
        try await change(user, by: actor, action: .userRole, detail: "role \(role.rawValue)", noticed: true) {
            users, connection in
            try users.setRole(name: user, role: role, on: connection)
        }
    }

    func remove(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange {
        try await change(user, by: actor, action: .userRemove) { users, connection in
            try users.remove(name: user, on: connection)
        }
    }

    func list(organisation: String?, by actor: Actor) async throws(ServiceError) -> [UserRecord] {
        let users = self.users
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [UserRecord] in
            try await store.transaction(actor) { try users.list(on: $0) }
                .filter { organisation == nil || $0.organisation == organisation }
                .map(Self.record)
        }
    }

    func notices(_ count: Int, before: Int64?, by actor: Actor) async throws(ServiceError) -> [OrganisationNotice] {
        try actor.require(.notices)
        return try await store.transaction(actor) { connection in
            try OrganisationNotices.latest(
                count, before: before, organisation: try Self.organisationID(of: actor, on: connection), on: connection)
        }
    }

    func confirm(_ user: String, by actor: Actor) async throws(ServiceError) {
        try actor.require(.confirmUser)
        try await store.transaction(actor) { connection in
            try OrganisationNotices.confirm(
                user: user, organisation: try Self.organisationID(of: actor, on: connection),
                supervisor: actor.name, supervisorOrganisation: actor.organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .userConfirm, subject: "user:\(user)", source: actor.source,
                detail: "", on: connection)
        }
    }

    /// One account change with its audit entry; `noticed`: a change another organisation's
    /// supervisors must see (`OrganisationNoticeStep`).
    private func change(
        _ user: String, by actor: Actor, action: AuditAction, detail: String = "", noticed: Bool = false,
        _ body: @escaping @Sendable (UserStore, PostgresConnection) throws -> Void
    ) async throws(ServiceError) -> AccountChange {
        let users = self.users
        let awaits = try await store.transaction(actor) { connection in
            try body(users, connection)
            let awaits =
                noticed
                ? try OrganisationNoticeStep.apply(
                    action: action, user: user, detail: detail, actor: actor, on: connection) : false
            try AuditLog.append(
                actor: actor.name, action: action, subject: "user:\(user)", source: actor.source,
                detail: detail + (awaits ? (detail.isEmpty ? "" : ", ") + "awaits confirmation" : ""), on: connection)
            return awaits
        }
        return AccountChange(user: user, awaitsConfirmation: awaits)
    }

    private static func record(_ account: UserAccount) -> UserRecord {
        UserRecord(name: account.name, role: account.role, organisation: account.organisation, locked: account.disabled)
    }

    private static func organisationID(of actor: Actor, on connection: PostgresConnection) throws -> Int64 {
        if let known = actor.organisationID { return known }
        return try OrganisationStore.id(named: actor.organisation, create: false, on: connection)
    }
}
