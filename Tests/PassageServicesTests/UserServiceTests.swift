import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// UserService over a real PostgreSQL: each use case one transaction with its audit entry, the
/// notice and confirmation across organisations, sessions ending with their credentials.
@Suite("User service")
struct UserServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("adm", .admin, "ngo-a"), ("sup-b", .supervisor, "ngo-b"), ("adm-b", .admin, "ngo-b"),
        ("cw", .caseworker, "ngo-a"),
    ]

    @Test("adding a user writes the account and one user.add entry naming role and organisation, in one transaction")
    func add() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let (account, change) = try await fixture.services.users.add(
                NewUser(name: "bea", role: .caseworker, password: "bea's long password", organisation: "ngo-a"),
                by: admin)
            #expect(account == UserRecord(name: "bea", role: .caseworker, organisation: "ngo-a", locked: false))
            #expect(change == AccountChange(user: "bea", awaitsConfirmation: false))
            #expect(
                try await fixture.audit(.userAdd) == [
                    .init(
                        actor: "adm", action: "user.add", subject: "user:bea", source: "192.0.2.7",
                        detail: "role caseworker, organisation ngo-a")
                ])
            // A refused add leaves neither an account nor an entry.
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "password", message: "password must be at least 8 characters")
            ) {
                _ = try await fixture.services.users.add(
                    NewUser(name: "cy", role: .analyst, password: "short"), by: admin)
            }
            await #expect(throws: ServiceError.conflict("user bea already exists")) {
                _ = try await fixture.services.users.add(
                    NewUser(name: "bea", role: .analyst, password: "another long one"), by: admin)
            }
            #expect(try await fixture.audit(.userAdd).count == 1)
            #expect(try await fixture.count("SELECT count(*) FROM users WHERE name IN ('bea', 'cy')") == 1)
            // Without an organisation the account goes to the default one.
            let (other, _) = try await fixture.services.users.add(
                NewUser(name: "dee", role: .policy, password: "dee's long password"), by: admin)
            #expect(other.organisation == "default")
        }
    }

    @Test(
        "an administrator of another organisation: the supervisors get a notice, the account waits until one confirms")
    func acrossOrganisations() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let (_, change) = try await fixture.services.users.add(
                NewUser(name: "eve", role: .caseworker, password: "eve's long password", organisation: "ngo-b"),
                by: admin)
            #expect(change.awaitsConfirmation)
            #expect(
                try await fixture.audit(.userAdd).last?.detail
                    == "role caseworker, organisation ngo-b, awaits confirmation")
            #expect(
                try await fixture.services.signIn.authenticate(
                    user: "eve", password: "eve's long password", source: "192.0.2.9") == .failed)
            let supervisor = try await fixture.actor("sup-b")
            let notices = try await fixture.services.users.notices(10, by: supervisor)
            #expect(
                notices.map(\.action) == ["user.add"] && notices.first?.subject == "eve"
                    && notices.first?.actor == "adm")
            // The other organisation's notices are not ngo-a's.
            let supervisorA = Actor(name: "sup-a", role: .supervisor, organisation: "ngo-a", source: "192.0.2.7")
            #expect(try await fixture.services.users.notices(10, by: supervisorA).isEmpty)
            // Notices are a supervisor's: the service refuses a caseworker even if an interface did not.
            await #expect(throws: ServiceError.permissionDenied("the caseworker role may not use NOTICES")) {
                try await fixture.services.users.notices(10, by: try await fixture.actor("cw"))
            }
            try await fixture.services.users.confirm("eve", by: supervisor)
            #expect(
                try await fixture.audit(.userConfirm) == [
                    .init(actor: "sup-b", action: "user.confirm", subject: "user:eve", source: "192.0.2.7", detail: "")
                ])
            guard
                case .signedIn = try await fixture.services.signIn.authenticate(
                    user: "eve", password: "eve's long password", source: "192.0.2.9")
            else {
                Issue.record("eve cannot sign in after the confirmation")
                return
            }
            // Nothing waits any more: a second confirmation finds nothing, and writes nothing.
            await #expect(throws: ServiceError.self) { try await fixture.services.users.confirm("eve", by: supervisor) }
            #expect(try await fixture.audit(.userConfirm).count == 1)
        }
    }

    @Test(
        "lock, password, role and removal end the user's sessions; each writes its entry; an unknown user is not found")
    func changesEndSessions() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let caseworker = try await fixture.actor("cw")
            guard let credentials = caseworker.credentials else {
                Issue.record("no credentials")
                return
            }
            #expect(
                try await fixture.services.users.lock("cw", by: admin)
                    == AccountChange(user: "cw", awaitsConfirmation: false))
            #expect(try await fixture.services.signIn.endedSessions([credentials]) == [credentials])
            // The ended session's next transaction is refused before it does anything.
            await #expect(throws: ServiceError.sessionEnded(SessionEnd.reason)) {
                _ = try await fixture.services.users.list(organisation: nil, by: caseworker)
            }
            _ = try await fixture.services.users.unlock("cw", by: admin)
            _ = try await fixture.services.users.setRole(of: "cw", to: .supervisor, by: admin)
            _ = try await fixture.services.users.setPassword(of: "cw", to: "a new long password", by: admin)
            #expect(try await fixture.audit(.userRole).map(\.detail) == ["role supervisor"])
            #expect(try await fixture.audit(.userLock).map(\.subject) == ["user:cw"])
            #expect(try await fixture.audit(.userPasswd).map(\.detail) == [""])
            let listed = try await fixture.services.users.list(organisation: "ngo-a", by: admin)
            #expect(listed.map(\.name) == ["adm", "cw"] && listed.last?.role == .supervisor)
            _ = try await fixture.services.users.remove("cw", by: admin)
            #expect(try await fixture.audit(.userRemove).map(\.subject) == ["user:cw"])
            await #expect(throws: ServiceError.notFound("user cw not found")) {
                _ = try await fixture.services.users.lock("cw", by: admin)
            }
            #expect(try await fixture.audit(.userLock).count == 1)
        }
    }

    @Test(
        "the operator (passage user) acts for every organisation: the same entry as an administrator's, no notice, no wait"
    )
    func theOperator() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm-b")
            let operatorActor = Actor.operator("operator:tester")
            _ = try await fixture.services.users.add(
                NewUser(name: "fay", role: .analyst, password: "fay's long password", organisation: "ngo-b"), by: admin)
            let (_, change) = try await fixture.services.users.add(
                NewUser(name: "gus", role: .analyst, password: "gus's long password", organisation: "ngo-b"),
                by: operatorActor)
            #expect(!change.awaitsConfirmation)
            let entries = try await fixture.audit(.userAdd)
            #expect(entries.map(\.detail) == ["role analyst, organisation ngo-b", "role analyst, organisation ngo-b"])
            #expect(
                entries.map(\.actor) == ["adm-b", "operator:tester"] && entries.map(\.source) == ["192.0.2.7", "cli"])
            #expect(try await fixture.count("SELECT count(*) FROM organisation_notices") == 0)
        }
    }

    @Test("USER LIST is a bulk read: the user's row budget applies")
    func listUnderTheBulkReadBudget() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 5, now: { clock.now }), accounts: Self.accounts
        ) { fixture in
            let admin = try await fixture.actor("adm")
            #expect(try await fixture.services.users.list(organisation: nil, by: admin).count == 4)
            // 5 tokens − (1 + 4 rows) = 0: the next list waits.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.users.list(organisation: nil, by: admin)
            }
            clock.advance(by: .seconds(60))
            #expect(try await fixture.services.users.list(organisation: "ngo-b", by: admin).count == 2)
        }
    }
}
