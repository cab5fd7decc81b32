import Foundation
import PassageCore
import Postgres

/// The accounts `passage serve --demo` makes: one per role in the demo organisation, with
/// passwords printed at every demo start and written in the docs — anyone can sign in with
/// them. They must not outlive the demo (issue 16): a start without `--demo` disables every one
/// still enabled, replaces its password by one nobody knows, and audits it; a later `--demo`
/// start opens them again. Docs/security.md, "10. Demo accounts".
public enum DemoAccounts {
    public struct Account: Sendable {
        public let name: String
        public let role: Role
        public let password: String
    }

    public static let organisation = "demo-ngo"
    public static let all: [Account] = Role.allCases.map {
        Account(name: "demo-\($0.rawValue)", role: $0, password: "demo-\($0.rawValue)-pass")
    }

    /// For `serve --demo`: every demo account exists, is enabled and has its published password,
    /// so the credentials the start prints work. A user of that name in another organisation is
    /// not a demo account and is left alone.
    public static func open(users: UserStore, on connection: PostgresConnection) throws {
        let organisationID = try OrganisationStore.id(named: organisation, create: true, on: connection)
        for account in all {
            guard let existing = try find(account.name, users: users, on: connection) else {
                _ = try users.add(
                    name: account.name, role: account.role, organisation: organisationID, password: account.password,
                    on: connection)
                continue
            }
            guard existing.organisation == organisation else { continue }
            if existing.disabled { try users.unlock(name: account.name, on: connection) }
            try users.setPassword(name: account.name, password: account.password, on: connection)
        }
    }

    /// For a start without `--demo`: disables each demo account that is still enabled, gives it
    /// a random password, and audits that under `actor`. Returns the names it disabled (none
    /// when they were disabled before, so a start says so only once). Run in a transaction.
    public static func retire(users: UserStore, actor: String, source: String, on connection: PostgresConnection) throws
        -> [String]
    {
        var retired: [String] = []
        for account in all {
            guard let existing = try find(account.name, users: users, on: connection),
                existing.organisation == organisation, !existing.disabled
            else { continue }
            try users.lock(name: account.name, on: connection)
            try users.setPassword(name: account.name, password: unknowablePassword(), on: connection)
            try AuditLog.append(
                actor: actor, action: .userDemoDisabled, subject: "user:\(account.name)", source: source,
                detail: "demo account disabled by a start without --demo", on: connection)
            retired.append(account.name)
        }
        return retired
    }

    static func find(_ name: String, users: UserStore, on connection: PostgresConnection) throws -> UserAccount? {
        do {
            return try users.find(name: name, on: connection)
        } catch StoreError.notFound {
            return nil
        }
    }

    /// 24 random bytes as hex: 48 characters, within bcrypt's 72 bytes, and never printed.
    static func unknowablePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
