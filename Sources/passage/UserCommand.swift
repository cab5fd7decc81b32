import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// `passage user …`: account management straight in the database, for the first
/// administrator and for scripts. Reaches a running embedded cluster through its socket.
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage console users directly in the database.",
        subcommands: [Add.self, Passwd.self, Lock.self, Unlock.self, Role.self, Remove.self, List.self])

    /// Runs `body` in one transaction with its audit entry (actor `cli:<login>`); no entry when `action` is nil (a read).
    static func withStore<T>(_ database: DatabaseOptions, action: AuditAction?, subject: String, detail: String = "",
                             _ body: (PostgresConnection) throws -> T) throws -> T {
        var logger = Logger(label: "passage.user")
        logger.logLevel = .warning
        let (opened, _) = try database.openMigrated(logger: logger)
        defer { opened.close(stopCluster: false) }
        let connection = try PostgresConnection.connect(opened.conninfo)
        defer { connection.close() }
        let actor = "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? String(getuid()))
        return try connection.transaction { connection in
            let value = try body(connection)
            if let action {
                try AuditLog.append(actor: actor, action: action, subject: subject, source: "local", detail: detail, on: connection)
            }
            return value
        }
    }

    /// A password from standard input (first line), or typed twice at a prompt without echo.
    static func readPassword(fromStandardInput: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("--password-stdin: no password on standard input") }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("no terminal to ask for the password: use --password-stdin") }
        let first = String(cString: getpass("password: "))
        let second = String(cString: getpass("again: "))
        guard first == second else { throw ValidationError("the two passwords differ") }
        return first
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @Argument(help: "User name (lower-case letters, digits, . _ -).") var name: String
        @Option(help: "caseworker, supervisor, analyst, policy or admin.") var role: String
        @Option(help: "Organisation (created when missing).") var org: String = OrganisationStore.defaultName
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageCore.Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(PassageCore.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try UserStore.validateName(name)
        }

        func run() throws {
            let password = try User.readPassword(fromStandardInput: passwordStdin)
            try UserStore.validatePassword(password)
            let role = PassageCore.Role(rawValue: role)!  // checked in validate()
            let account = try User.withStore(database, action: .userAdd, subject: "user:\(name)") { connection in
                let organisation = try OrganisationStore.id(named: org, create: true, on: connection)
                return try UserStore().add(name: name, role: role, organisation: organisation, password: password, on: connection)
            }
            print("user \(account.name) added: role \(account.role.rawValue), organisation \(account.organisation)")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @Argument(help: "User name.") var name: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let password = try User.readPassword(fromStandardInput: passwordStdin)
            // Checked before the database is opened, with the same words as the console's.
            try UserStore.validatePassword(password)
            try User.withStore(database, action: .userPasswd, subject: "user:\(name)") {
                try UserStore().setPassword(name: name, password: password, on: $0)
            }
            print("password of \(name) changed; the user's open sessions have ended")
        }
    }

    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a user from signing in until unlocked.")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try User.withStore(database, action: .userLock, subject: "user:\(name)") { try UserStore().lock(name: name, on: $0) }
            print("user \(name) locked; the user's open sessions have ended")
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a locked user sign in again.")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try User.withStore(database, action: .userUnlock, subject: "user:\(name)") { try UserStore().unlock(name: name, on: $0) }
            print("user \(name) unlocked")
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user another role (ends the user's open sessions).")
        @Argument(help: "User name.") var name: String
        @Argument(help: "caseworker, supervisor, analyst, policy or admin.") var role: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageCore.Role(rawValue: role) != nil else {
                throw ValidationError("role must be one of \(PassageCore.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            let role = PassageCore.Role(rawValue: role)!  // checked in validate()
            try User.withStore(database, action: .userRole, subject: "user:\(name)", detail: "role \(role.rawValue)") {
                try UserStore().setRole(name: name, role: role, on: $0)
            }
            print("user \(name) is now \(role.rawValue); the user's open sessions have ended")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user (ends the user's open sessions; the audit trail keeps the name).")
        @Argument(help: "User name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try User.withStore(database, action: .userRemove, subject: "user:\(name)") { try UserStore().remove(name: name, on: $0) }
            print("user \(name) removed; the user's open sessions have ended")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with role, organisation and lock state.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let accounts = try User.withStore(database, action: nil, subject: "") { try UserStore().list(on: $0) }
            for account in accounts {
                let state = account.disabled ? "locked" : "active"
                print("\(account.name)\t\(account.role.rawValue)\t\(account.organisation)\t\(state)")
            }
        }
    }
}
