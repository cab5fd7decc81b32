import PassageCore
import PassageStore
import Postgres

/// Accounts made straight in the store for a test's world: each in its organisation (made when
/// missing), with the password `password-of-<name>` (`TestAccounts.password`).
public enum TestAccounts {
    public static func password(_ name: String) -> String { "password-of-\(name)" }

    public static func add(
        _ accounts: [(name: String, role: Role, organisation: String)], on connection: PostgresConnection
    ) throws {
        for account in accounts {
            let organisation = try OrganisationStore.id(named: account.organisation, create: true, on: connection)
            _ = try UserStore().add(
                name: account.name, role: account.role, organisation: organisation,
                password: password(account.name), on: connection)
        }
    }
}
