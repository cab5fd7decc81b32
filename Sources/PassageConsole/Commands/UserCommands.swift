import PassageCore
import PassageServices

/// `USER …`: administrators manage accounts, never case contents (UserService; every account
/// change is audited in its own transaction).
enum UserCommands {
    static let declarations: [CommandSpec] = [add, passwd, lock, role, remove, unlock, list]

    static let roleArgument = ArgumentSpec(
        "role", .choice(Role.allCases.map(\.rawValue)),
        help: "caseworker, supervisor, analyst, policy or admin")

    static let add = CommandSpec(
        "USER ADD", access: .roles(UseCase.addUser.roles),
        positional: [Arguments.userName, roleArgument, ArgumentSpec("password", .secret, help: "initial password")],
        named: [
            .optional(
                "org", .text(maxLength: 200), help: "organisation (created if new; default organisation otherwise)")
        ],
        summary: "create a user"
    ) { services, invocation, session in
        let user = NewUser(
            name: try invocation.text("user"), role: try chosenRole(invocation),
            password: try invocation.text("password"),
            organisation: invocation.optionalText("org"))
        let (account, change) = try await services.users.add(user, by: invocation.actor(session))
        return .ok(
            [
                ReplyField("user", .string(account.name)), ReplyField("role", .string(account.role.rawValue)),
                ReplyField("organisation", .string(account.organisation)),
            ]
                + fields(change, organisation: account.organisation).dropFirst())
    }

    static let passwd = CommandSpec(
        "USER PASSWD", access: .roles(UseCase.setPassword.roles),
        positional: [Arguments.userName, ArgumentSpec("password", .secret, help: "new password")],
        summary: "set a user's password (ends the user's open sessions)"
    ) { services, invocation, session in
        .ok(
            fields(
                try await services.users.setPassword(
                    of: try invocation.text("user"), to: try invocation.text("password"),
                    by: invocation.actor(session))))
    }

    static let lock = CommandSpec(
        "USER LOCK", access: .roles(UseCase.lockUser.roles), positional: [Arguments.userName],
        summary: "stop a user from signing in (ends the user's open sessions)"
    ) { services, invocation, session in
        .ok(fields(try await services.users.lock(try invocation.text("user"), by: invocation.actor(session))))
    }

    /// A new role; the user's open sessions end (they signed in with the old one).
    static let role = CommandSpec(
        "USER ROLE", access: .roles(UseCase.setRole.roles), positional: [Arguments.userName, roleArgument],
        summary: "give a user another role (ends the user's open sessions)"
    ) { services, invocation, session in
        .ok(
            fields(
                try await services.users.setRole(
                    of: try invocation.text("user"), to: try chosenRole(invocation), by: invocation.actor(session))))
    }

    static let remove = CommandSpec(
        "USER REMOVE", access: .roles(UseCase.removeUser.roles), positional: [Arguments.userName],
        summary: "remove a user (ends the user's open sessions; the audit trail keeps the name)"
    ) { services, invocation, session in
        .ok(fields(try await services.users.remove(try invocation.text("user"), by: invocation.actor(session))))
    }

    static let unlock = CommandSpec(
        "USER UNLOCK", access: .roles(UseCase.unlockUser.roles), positional: [Arguments.userName],
        summary: "let a locked user sign in again (also forgets the user's failed sign-ins)"
    ) { services, invocation, session in
        .ok(fields(try await services.users.unlock(try invocation.text("user"), by: invocation.actor(session))))
    }

    static let list = CommandSpec(
        "USER LIST", access: .roles(UseCase.listUsers.roles),
        named: [.optional("org", .text(maxLength: 200), help: "only this organisation")],
        summary: "users with role, organisation and lock state"
    ) { services, invocation, session in
        let accounts = try await services.users.list(
            organisation: invocation.optionalText("org"), by: invocation.actor(session))
        let rows: [[ReplyValue]] = accounts.map { account in
            [
                .string(account.name), .string(account.role.rawValue), .string(account.organisation),
                .string(account.locked ? "locked" : "active"),
            ]
        }
        return .data(.table("users", columns: ["user", "role", "organisation", "state"], rows: rows))
    }

    private static func chosenRole(_ invocation: Invocation) throws(ConsoleError) -> Role {
        guard let role = Role(rawValue: try invocation.text("role")) else {
            throw .badArgument(argument: "role", message: "unknown role")
        }
        return role
    }

    /// The reply's fields: the user, and whether the account now waits for a supervisor.
    static func fields(_ change: AccountChange, organisation: String? = nil) -> [ReplyField] {
        var fields = [ReplyField("user", .string(change.user))]
        if change.awaitsConfirmation {
            fields.append(
                ReplyField(
                    "awaiting_confirmation", .string("supervisor of \(organisation ?? "the user's organisation")")))
        }
        return fields
    }
}
