import Foundation
import PassageCore
import PassageServices
import Synchronization

/// UserService in memory, for the console's tests: every change succeeds for any name except
/// `ghost` (no such user); accounts of organisation `elsewhere` wait for confirmation, so the
/// console's reply for a waiting account can be checked.
struct FakeUserService: UserService {
    /// The users `add` was given, with who asked (shared by copies), so a test can see the typed values.
    final class Recorded: Sendable {
        let added = Mutex<[(user: NewUser, actor: Actor)]>([])
    }

    let recorded = Recorded()

    func add(_ user: NewUser, by actor: Actor) async throws(ServiceError) -> (
        account: UserRecord, change: AccountChange
    ) {
        recorded.added.withLock { $0.append((user, actor)) }
        let organisation = user.organisation ?? "default"
        return (
            UserRecord(name: user.name, role: user.role, organisation: organisation, locked: false),
            AccountChange(user: user.name, awaitsConfirmation: organisation == "elsewhere")
        )
    }

    func setPassword(of user: String, to password: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    {
        try Self.change(user)
    }

    func lock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange { try Self.change(user) }
    func unlock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange { try Self.change(user) }
    func setRole(of user: String, to role: Role, by actor: Actor) async throws(ServiceError) -> AccountChange {
        try Self.change(user)
    }
    func remove(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange { try Self.change(user) }

    func list(organisation: String?, by actor: Actor) async throws(ServiceError) -> [UserRecord] {
        [
            UserRecord(name: "cara", role: .caseworker, organisation: "Red Cross", locked: false),
            UserRecord(name: "lou", role: .caseworker, organisation: "Red Cross", locked: true),
        ]
        .filter { organisation == nil || $0.organisation == organisation }
    }

    func notices(_ count: Int, before: Int64?, by actor: Actor) async throws(ServiceError) -> [OrganisationNotice] {
        []
    }

    func confirm(_ user: String, by actor: Actor) async throws(ServiceError) {
        _ = try Self.change(user)
    }

    private static func change(_ user: String) throws(ServiceError) -> AccountChange {
        guard user != "ghost" else { throw .notFound("user \(user)") }
        return AccountChange(user: user, awaitsConfirmation: false)
    }
}
