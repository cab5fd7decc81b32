import Foundation
import PassageCore
import PassageStore
import Postgres
import TestSupport
import Testing

/// Issue 16, item 10, at the store: what a start without `--demo` does to the demo accounts
/// (the serve path itself: Tests/Shell/demo-accounts-retired.sh).
@Suite("Demo accounts do not outlive the demo")
struct DemoAccountsTests {
    @Test("retire disables every enabled demo account once, audits each, and spares a namesake in another organisation")
    func retireDisablesAndAudits() async throws {
        let connection = try await MigratedDatabase.connection()
        defer { connection.close() }
        let users = UserStore()
        try connection.transaction { try DemoAccounts.open(users: users, on: $0) }
        #expect(try DemoAccounts.all.allSatisfy { try !users.find(name: $0.name, on: connection).disabled })

        // A real organisation's user that happens to carry a demo name is no demo account.
        try connection.execute("DELETE FROM users WHERE name = 'demo-policy'")
        let real = try OrganisationStore.id(named: "real-ngo", create: true, on: connection)
        _ = try users.add(
            name: "demo-policy", role: .policy, organisation: real, password: "a-real-password-1", on: connection)

        let retired = try connection.transaction {
            try DemoAccounts.retire(users: users, actor: "operator:test", source: "test", on: $0)
        }
        #expect(Set(retired) == Set(DemoAccounts.all.map(\.name)).subtracting(["demo-policy"]))
        for name in retired { #expect(try users.find(name: name, on: connection).disabled, "\(name)") }
        #expect(try !users.find(name: "demo-policy", on: connection).disabled)
        let audited = try connection.query(
            "SELECT actor, subject FROM audit_log WHERE action = 'user.demo_disabled' ORDER BY subject"
        ).map {
            let (actor, subject) = try $0.decode((String, String).self)
            return "\(actor) \(subject)"
        }
        #expect(audited == retired.sorted().map { "operator:test user:\($0)" })

        // Already disabled: nothing more to do, nothing more audited.
        #expect(
            try connection.transaction {
                try DemoAccounts.retire(users: users, actor: "operator:test", source: "test", on: $0)
            }.isEmpty)
        // `serve --demo` opens them again.
        try connection.transaction { try DemoAccounts.open(users: users, on: $0) }
        for name in retired { #expect(try !users.find(name: name, on: connection).disabled, "\(name)") }
    }
}
