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
    public let disabled: Bool
    public let lockedUntil: Date?
}

/// How a sign-in attempt ended.
public enum SignInOutcome: Sendable, Equatable {
    case signedIn(UserAccount)
    case failed
    /// The account or the source address is locked until the given time (nil: until an
    /// administrator unlocks it).
    case locked(until: Date?)
}

/// Users, their bcrypt password hashes (made and checked by pgcrypto inside PostgreSQL, so the
/// clear password only ever exists as a bound parameter), and sign-in lockouts.
public struct UserStore: Sendable {
    public struct LockoutPolicy: Sendable {
        public var maximumFailures: Int
        public var lockDuration: Duration
        public init(maximumFailures: Int = 5, lockDuration: Duration = .seconds(15 * 60)) {
            self.maximumFailures = maximumFailures
            self.lockDuration = lockDuration
        }
    }

    public let policy: LockoutPolicy
    public init(policy: LockoutPolicy = LockoutPolicy()) { self.policy = policy }

    /// bcrypt work factor: about 50–100 ms per check here, slow enough to make guessing costly.
    static let bcryptCost = 10
    static let passwordLength = 8...256

    public static func validateName(_ name: String) throws {
        guard name.range(of: "^[a-z0-9][a-z0-9._-]{0,63}$", options: .regularExpression) != nil else {
            throw StoreError.invalid("user name must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
    }

    public static func validatePassword(_ password: String) throws {
        guard passwordLength.contains(password.count) else {
            throw StoreError.invalid("password must be \(passwordLength.lowerBound) to \(passwordLength.upperBound) characters")
        }
    }

    public func add(name: String, role: Role, organisation: Int64, password: String, on connection: PostgresConnection) throws -> UserAccount {
        try Self.validateName(name)
        try Self.validatePassword(password)
        do {
            try connection.execute("""
                INSERT INTO users (name, role, organisation_id, password_hash)
                VALUES (\(name), \(role.rawValue), \(organisation), crypt(\(password), gen_salt('bf', \(Self.bcryptCost)::int4)))
                """)
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            throw StoreError.duplicate("user \(name)")
        }
        return try find(name: name, on: connection)
    }

    public func setPassword(name: String, password: String, on connection: PostgresConnection) throws {
        try Self.validatePassword(password)
        let changed = try connection.execute("""
            UPDATE users SET password_hash = crypt(\(password), gen_salt('bf', \(Self.bcryptCost)::int4)), password_changed_at = now()
             WHERE name = \(name)
            """)
        guard changed == 1 else { throw StoreError.notFound("user \(name)") }
    }

    /// An administrator's lock: lasts until an administrator unlocks.
    public func lock(name: String, on connection: PostgresConnection) throws {
        guard try connection.execute("UPDATE users SET disabled = true WHERE name = \(name)") == 1 else {
            throw StoreError.notFound("user \(name)")
        }
    }

    /// Lifts both kinds of lock and forgets the failed attempts.
    public func unlock(name: String, on connection: PostgresConnection) throws {
        guard try connection.execute("""
            UPDATE users SET disabled = false, locked_until = NULL, failed_attempts = 0 WHERE name = \(name)
            """) == 1 else {
            throw StoreError.notFound("user \(name)")
        }
    }

    public func find(name: String, on connection: PostgresConnection) throws -> UserAccount {
        guard let row = try connection.query("""
            SELECT u.id, u.name, u.role, u.organisation_id, o.name, u.disabled, u.locked_until
              FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.name = \(name)
            """).first else {
            throw StoreError.notFound("user \(name)")
        }
        return try Self.account(from: row)
    }

    public func list(on connection: PostgresConnection) throws -> [UserAccount] {
        try connection.query("""
            SELECT u.id, u.name, u.role, u.organisation_id, o.name, u.disabled, u.locked_until
              FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY u.name
            """).map(Self.account(from:))
    }

    /// Checks a password. Failures count against both the user and the source address; the
    /// one that reaches the limit is locked for `policy.lockDuration`, and the lock is audited.
    /// An unknown user name costs the same bcrypt work as a known one, so timing does not
    /// reveal which names exist.
    public func signIn(name: String, password: String, source: String, on connection: PostgresConnection) throws -> SignInOutcome {
        if let row = try connection.query("""
            SELECT locked_until FROM sign_in_sources WHERE source = \(source) AND locked_until > now()
            """).first {
            return .locked(until: try row.decode(Date.self, at: 0))
        }
        let rows = try connection.query("""
            SELECT u.id, u.name, u.role, u.organisation_id, o.name, u.disabled, u.locked_until,
                   u.password_hash = crypt(\(password), u.password_hash)
              FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.name = \(name)
             FOR UPDATE OF u
            """)
        guard let row = rows.first else {
            _ = try connection.query("SELECT crypt(\(password), gen_salt('bf', \(Self.bcryptCost)::int4))")
            try recordFailure(user: nil, source: source, on: connection)
            return .failed
        }
        let account = try Self.account(from: row)
        if account.disabled { return .locked(until: nil) }
        if let until = account.lockedUntil, until > Date() { return .locked(until: until) }
        guard try row.decode(Bool.self, at: 7) else {
            try recordFailure(user: account.name, source: source, on: connection)
            return .failed
        }
        try connection.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = \(account.id)")
        try connection.execute("DELETE FROM sign_in_sources WHERE source = \(source)")
        return .signedIn(try find(name: account.name, on: connection))
    }

    private func recordFailure(user: String?, source: String, on connection: PostgresConnection) throws {
        let limit = policy.maximumFailures
        let seconds = Double(policy.lockDuration.components.seconds) + Double(policy.lockDuration.components.attoseconds) / 1e18
        if let user {
            let locked = try connection.query("""
                UPDATE users SET
                    failed_attempts = CASE WHEN failed_attempts + 1 >= \(limit) THEN 0 ELSE failed_attempts + 1 END,
                    locked_until = CASE WHEN failed_attempts + 1 >= \(limit) THEN now() + make_interval(secs => \(seconds)) ELSE locked_until END
                 WHERE name = \(user)
                RETURNING failed_attempts = 0
                """)
            if try locked.first?.decode(Bool.self, at: 0) == true {
                try AuditLog.append(actor: "system", action: "user.locked", subject: "user:\(user)", source: source,
                                    detail: "\(limit) failed sign-ins", on: connection)
            }
        }
        let sourceLocked = try connection.query("""
            INSERT INTO sign_in_sources (source, failed_attempts) VALUES (\(source), 1)
            ON CONFLICT (source) DO UPDATE SET
                failed_attempts = CASE WHEN sign_in_sources.failed_attempts + 1 >= \(limit) THEN 0 ELSE sign_in_sources.failed_attempts + 1 END,
                locked_until = CASE WHEN sign_in_sources.failed_attempts + 1 >= \(limit)
                                    THEN now() + make_interval(secs => \(seconds)) ELSE sign_in_sources.locked_until END
            RETURNING failed_attempts = 0
            """)
        if try sourceLocked.first?.decode(Bool.self, at: 0) == true {
            try AuditLog.append(actor: "system", action: "source.locked", subject: "source:\(source)", source: source,
                                detail: "\(limit) failed sign-ins", on: connection)
        }
    }

    static func account(from row: PostgresRow) throws -> UserAccount {
        let roleText = try row.decode(String.self, at: 2)
        guard let role = Role(rawValue: roleText) else { throw StoreError.conflict("user has an unknown role \(roleText)") }
        return UserAccount(id: try row.decode(Int64.self, at: 0), name: try row.decode(String.self, at: 1), role: role,
                           organisationID: try row.decode(Int64.self, at: 3), organisation: try row.decode(String.self, at: 4),
                           disabled: try row.decode(Bool.self, at: 5), lockedUntil: try row.decode(Date?.self, at: 6))
    }
}
