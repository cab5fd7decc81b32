import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices

/// `passage user …`: account management straight in the database, for the first
/// administrator and for scripts. Reaches a running embedded cluster through its socket. Runs
/// the console's own use cases (UserService), as the operator (`OperatorIdentity`): the audit
/// entries are the console's, with the operator as actor and `cli` as source.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage console users directly in the database.",
        subcommands: [Add.self, Passwd.self, Lock.self, Unlock.self, Role.self, Remove.self, List.self])

    /// Runs `work` with the user service over the database, as the operator.
    static func withUsers<T: Sendable>(
        _ database: DatabaseOptions,
        _ work: (any UserService, Actor) async throws(ServiceError) -> T
    ) async throws -> T {
        var logger = Logger(label: "passage.user")
        logger.logLevel = .warning
        let host = try await database.openServices(logger: logger)
        // The operator administers accounts of every organisation (no supervisors' notice: the
        // operator holds the database itself; the audit entry records the change).
        let actor = OperatorIdentity.actor(role: .admin)
        do {
            let value = try await work(host.services.users, actor)
            await host.shutdown()
            return value
        } catch {
            await host.shutdown()
            throw UserCommandFailure(error: error)
        }
    }

    /// A rule's refusal as the command line reports it, before anything is opened.
    static func check(_ rule: () throws(ServiceError) -> Void) throws {
        do { try rule() } catch { throw ValidationError(UserCommandFailure(error: error).description) }
    }

    /// A password from standard input (first line), or typed twice at a prompt without echo.
    static func readPassword(fromStandardInput: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true) else {
                throw ValidationError("--password-stdin: no password on standard input")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("no terminal to ask for the password: use --password-stdin")
        }
        let first = String(cString: getpass("password: "))
        let second = String(cString: getpass("again: "))
        guard first == second else { throw ValidationError("the two passwords differ") }
        return first
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @Argument(help: "User name (lower-case letters, digits, . _ -).") var name: String
        @Option(help: "caseworker, supervisor, analyst, policy or admin.") var role: String
        @Option(help: "Organisation (created when missing; default: the default organisation).") var org: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin =
            false
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageCore.Role(rawValue: role) != nil else {
                throw ValidationError(
                    "--role must be one of \(PassageCore.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try User.check { () throws(ServiceError) in try AccountRules.checkName(name) }
        }

        func run() async throws {
            let password = try User.readPassword(fromStandardInput: passwordStdin)
            try User.check { () throws(ServiceError) in try AccountRules.checkPassword(password) }
            let role = PassageCore.Role(rawValue: role)!  // checked in validate()
            let user = NewUser(name: name, role: role, password: password, organisation: org)
            let (account, _) = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.add(user, by: actor)
            }
            print("user \(account.name) added: role \(account.role.rawValue), organisation \(account.organisation)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @Argument(help: "User name.") var name: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin =
            false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let password = try User.readPassword(fromStandardInput: passwordStdin)
            // Checked before the database is opened, with the same words as the console's.
            try User.check { () throws(ServiceError) in try AccountRules.checkPassword(password) }
            _ = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.setPassword(of: name, to: password, by: actor)
            }
            print("password of \(name) changed; the user's open sessions have ended")
        }
    }

    struct Lock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a user from signing in until unlocked.")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.lock(name, by: actor)
            }
            print("user \(name) locked; the user's open sessions have ended")
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a locked user sign in again.")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.unlock(name, by: actor)
            }
            print("user \(name) unlocked")
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a user another role (ends the user's open sessions).")
        @Argument(help: "User name.") var name: String
        @Argument(help: "caseworker, supervisor, analyst, policy or admin.") var role: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageCore.Role(rawValue: role) != nil else {
                throw ValidationError(
                    "role must be one of \(PassageCore.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let role = PassageCore.Role(rawValue: role)!  // checked in validate()
            _ = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.setRole(of: name, to: role, by: actor)
            }
            print("user \(name) is now \(role.rawValue); the user's open sessions have ended")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user (ends the user's open sessions; the audit trail keeps the name).")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.remove(name, by: actor)
            }
            print("user \(name) removed; the user's open sessions have ended")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with role, organisation and lock state.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let accounts = try await User.withUsers(database) { users, actor throws(ServiceError) in
                try await users.list(organisation: nil, by: actor)
            }
            for account in accounts {
                let state = account.locked ? "locked" : "active"
                print("\(account.name)\t\(account.role.rawValue)\t\(account.organisation)\t\(state)")
            }
        }
    }
}

/// A use case's refusal, as the command line prints it (the message; exit status 1).
struct UserCommandFailure: Error, CustomStringConvertible {
    let description: String

    init(error: any Error) {
        switch error {
        case ServiceError.badArgument(_, let message): description = message
        case let error as ServiceError: description = error.description
        default: description = "\(error)"
        }
    }
}
