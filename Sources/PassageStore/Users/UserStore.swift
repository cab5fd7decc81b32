import Foundation
import PassageCore
import Postgres

/// A console user as others may see it: never the password hash.
public struct UserAccount: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let role: Role
    public let organisationID: Int64
    public let organisation: String
    /// Locked by an administrator (`USER LOCK`, `passage user lock`).
    public let disabled: Bool
    /// Moves on with every change that ends the user's sessions (migration 0009): a session
    /// signed in with an older epoch is over.
    public let credentialsEpoch: Int64
}

/// Users and their bcrypt password hashes (made and checked in this process, `PasswordHash`, so
/// a password never reaches the database or its logs). Sign-in and its throttling:
/// `UserStore+SignIn.swift`.
public struct UserStore: Sendable {
    public let throttle: SignInThrottle
    public init(throttle: SignInThrottle = SignInThrottle()) { self.throttle = throttle }

    /// bcrypt work factor: about 50–100 ms per check here, slow enough to make guessing costly.
    static let bcryptCost = 10
    /// bcrypt reads no more than 72 bytes of a password: a longer one would be cut silently, and
    /// every password sharing its first 72 bytes would match. Refused instead (Docs/security.md).
    public static let longestPasswordBytes = 72
    static let shortestPassword = 8

    public static func validateName(_ name: String) throws {
        guard name.range(of: "^[a-z0-9][a-z0-9._-]{0,63}$", options: .regularExpression) != nil else {
            throw StoreError.invalid(
                argument: "user",
                message:
                    "user name must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        }
    }

    public static func validatePassword(_ password: String) throws {
        guard password.count >= shortestPassword else {
            throw StoreError.invalid(
                argument: "password", message: "password must be at least \(shortestPassword) characters")
        }
        guard password.utf8.count <= longestPasswordBytes else {
            throw StoreError.invalid(
                argument: "password",
                message:
                    "password must be at most \(longestPasswordBytes) bytes (it is \(password.utf8.count) in UTF-8): bcrypt ignores what follows, so a longer one is refused rather than cut"
            )
        }
    }

    public func add(name: String, role: Role, organisation: Int64, password: String, on connection: PostgresConnection)
        throws -> UserAccount
    {
        try Self.validateName(name)
        try Self.validatePassword(password)
        let hash = try PasswordHash.make(password)
        do {
            try connection.execute(
                """
                INSERT INTO users (name, role, organisation_id, password_hash)
                VALUES (\(name), \(role.rawValue), \(organisation), \(hash))
                """)
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            throw StoreError.duplicate("user \(name)")
        }
        return try find(name: name, on: connection)
    }

    /// A new password; the user's open sessions end (the epoch trigger of migration 0009).
    public func setPassword(name: String, password: String, on connection: PostgresConnection) throws {
        try Self.validatePassword(password)
        let hash = try PasswordHash.make(password)
        let changed = try connection.execute(
            """
            UPDATE users SET password_hash = \(hash), password_changed_at = now()
             WHERE name = \(name)
            """)
        guard changed == 1 else { throw StoreError.notFound("user \(name)") }
    }

    /// A new role; the user's open sessions end, so no session keeps the rights of the old one.
    public func setRole(name: String, role: Role, on connection: PostgresConnection) throws {
        guard try connection.execute("UPDATE users SET role = \(role.rawValue) WHERE name = \(name)") == 1 else {
            throw StoreError.notFound("user \(name)")
        }
    }

    /// Removes the account; its open sessions end (their check finds no row). Audit entries
    /// keep the name as text, so the trail stays whole.
    public func remove(name: String, on connection: PostgresConnection) throws {
        guard try connection.execute("DELETE FROM users WHERE name = \(name)") == 1 else {
            throw StoreError.notFound("user \(name)")
        }
        try connection.execute("DELETE FROM sign_in_throttle WHERE user_name = \(name)")
    }

    /// An administrator's lock: lasts until an administrator unlocks; the user's sessions end.
    public func lock(name: String, on connection: PostgresConnection) throws {
        guard try connection.execute("UPDATE users SET disabled = true WHERE name = \(name)") == 1 else {
            throw StoreError.notFound("user \(name)")
        }
    }

    /// Lifts an administrator's lock and forgets the user's failed sign-ins (per address; the
    /// address prefixes' counts stay, they are not the user's).
    public func unlock(name: String, on connection: PostgresConnection) throws {
        guard try connection.execute("UPDATE users SET disabled = false WHERE name = \(name)") == 1 else {
            throw StoreError.notFound("user \(name)")
        }
        try connection.execute("DELETE FROM sign_in_throttle WHERE user_name = \(name)")
    }

    static let accountColumns = SQLFragment(
        "u.id, u.name, u.role, u.organisation_id, o.name, u.disabled, u.credentials_epoch")

    public func find(name: String, on connection: PostgresConnection) throws -> UserAccount {
        guard
            let row = try connection.query(
                """
                SELECT \(Self.accountColumns)
                  FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.name = \(name)
                """
            ).first
        else {
            throw StoreError.notFound("user \(name)")
        }
        return try Self.account(from: row)
    }

    public func list(on connection: PostgresConnection) throws -> [UserAccount] {
        try connection.query(
            """
            SELECT \(Self.accountColumns)
              FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY u.name
            """
        ).map(Self.account(from:))
    }

    /// Reads `accountColumns`, the first columns of `row` (sign-in reads the password hash after them).
    static func account(from row: PostgresRow) throws -> UserAccount {
        let (id, name, roleText, organisationID, organisation, disabled, credentialsEpoch) =
            try row.decode((Int64, String, String, Int64, String, Bool, Int64).self, startingAt: 0)
        guard let role = Role(rawValue: roleText) else {
            throw StoreError.conflict("user has an unknown role \(roleText)")
        }
        return UserAccount(
            id: id, name: name, role: role, organisationID: organisationID, organisation: organisation,
            disabled: disabled, credentialsEpoch: credentialsEpoch)
    }
}
