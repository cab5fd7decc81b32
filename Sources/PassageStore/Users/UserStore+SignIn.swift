import Foundation
import PassageCore
import Postgres

/// How a sign-in attempt ended.
public enum SignInOutcome: Sendable, Equatable {
    case signedIn(UserAccount)
    /// Wrong name, wrong password, a locked account or a password bcrypt cannot check: one
    /// answer for all, so the reply does not tell which accounts exist.
    case failed
    /// Too many failures for this name from this address, or from this address's network: no
    /// password is checked until the given time.
    case throttled(until: Date)
}

/// Why a sign-in failed: for the audit trail, never for the client.
public enum SignInFailure: String, Sendable {
    case unknownUser = "unknown user"
    case wrongPassword = "wrong password"
    case accountLocked = "account locked by an administrator"
    case passwordTooLong = "password longer than 72 bytes"
    case throttled = "refused unchecked: too many failures"
}

extension UserStore {
    /// Checks a password, in the caller's transaction. A failure is counted against the
    /// (name, address) pair and the address's prefix (`SignInThrottle`) and audited with its
    /// reason; a throttled attempt is refused without a password check, and audited too.
    /// An unknown user name costs the same bcrypt work as a known one and counts the same, so
    /// neither the reply nor its timing reveals which names exist.
    public func signIn(name: String, password: String, source: String, on connection: PostgresConnection) throws
        -> SignInOutcome
    {
        let keys = ThrottleKeys(name: name, source: source)
        let blocked = try connection.query(
            """
            SELECT max(blocked_until) FROM sign_in_throttle
             WHERE key IN (\(keys.pair), \(keys.prefix)) AND blocked_until > now()
            """)
        if let until = try blocked.first?.decode(Date?.self) {
            try Self.auditFailure(name: name, source: source, .throttled, on: connection)
            return .throttled(until: until)
        }
        guard password.utf8.count <= Self.longestPasswordBytes else {
            try recordFailure(keys, name: name, source: source, .passwordTooLong, on: connection)
            return .failed
        }
        let rows = try connection.query(
            """
            SELECT \(Self.accountColumns), u.password_hash
              FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.name = \(name)
            """)
        // bcrypt runs here, on the caller's thread (a pool thread, never an event loop): the
        // password is not sent to the database (Docs/security.md "5. Secrets stay in the application").
        guard let row = rows.first else {
            PasswordHash.spendCheckWithoutUser(password)
            try recordFailure(keys, name: name, source: source, .unknownUser, on: connection)
            return .failed
        }
        let account = try Self.account(from: row)
        guard PasswordHash.matches(password, hash: try row.decode(String.self, startingAt: 7)) else {
            try recordFailure(keys, name: name, source: source, .wrongPassword, on: connection)
            return .failed
        }
        if account.disabled {
            try recordFailure(keys, name: name, source: source, .accountLocked, on: connection)
            return .failed
        }
        try connection.execute("DELETE FROM sign_in_throttle WHERE key = \(keys.pair)")
        return .signedIn(account)
    }

    struct ThrottleKeys {
        let pair: String
        let prefix: String
        init(name: String, source: String) {
            pair = "user:\(name)@\(source)"
            prefix = "prefix:\(AddressPrefix.of(source))"
        }
    }

    private func recordFailure(
        _ keys: ThrottleKeys, name: String, source: String, _ reason: SignInFailure,
        on connection: PostgresConnection
    ) throws {
        let policy = throttle
        let first = policy.firstDelay.secondsValue
        let longest = policy.longestDelay.secondsValue
        let window = policy.quietWindow.secondsValue
        let noUser: String? = nil
        // Rows past their quiet window say nothing any more; their removal travels with the count.
        try connection.runWithNext(
            "DELETE FROM sign_in_throttle WHERE last_failure < now() - make_interval(secs => \(window))")
        let counts = try connection.query(
            """
            SELECT sign_in_record_failure(\(keys.pair), \(name), \(Int32(policy.freeFailuresPerUserAndAddress)), \(first), \(longest), \(window)),
                   sign_in_record_failure(\(keys.prefix), \(noUser), \(Int32(policy.freeFailuresPerPrefix)), \(first), \(longest), \(window))
            """)[0]
        try Self.auditFailure(name: name, source: source, reason, on: connection)
        // The moment a key starts being throttled is worth an entry of its own.
        let (pairFailures, prefixFailures) = try counts.decode((Int, Int).self)
        if pairFailures == policy.freeFailuresPerUserAndAddress + 1 {
            try AuditLog.append(
                actor: "system", action: .signInThrottled, subject: "user:\(Self.auditedName(name))",
                source: source, detail: "\(policy.freeFailuresPerUserAndAddress) failed sign-ins from this address",
                on: connection)
        }
        if prefixFailures == policy.freeFailuresPerPrefix + 1 {
            try AuditLog.append(
                actor: "system", action: .signInThrottled, subject: keys.prefix, source: source,
                detail: "\(policy.freeFailuresPerPrefix) failed sign-ins from this network", on: connection)
        }
    }

    /// A failed sign-in's audit entry: the name as given (when it is shaped like a user name;
    /// a password typed into the name field must not land in the trail), the address and the
    /// reason class. Never the password.
    static func auditFailure(name: String, source: String, _ reason: SignInFailure, on connection: PostgresConnection)
        throws
    {
        try AuditLog.append(
            actor: "anonymous", action: .userSignInFailed, subject: "user:\(auditedName(name))",
            source: source, detail: reason.rawValue, on: connection)
    }

    public static func auditedName(_ name: String) -> String {
        (try? validateName(name)) != nil ? name : "(not a user name)"
    }
}
