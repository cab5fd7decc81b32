import Foundation
import PassageCore
import PassageStore
import Postgres

/// `passage serve --demo`: a demo organisation with one user per role and a few hundred
/// synthetic cases, so a newcomer can sign in and look around. Safe to run again: existing
/// demo users and cases are kept.
enum DemoSeed {
    static let organisation = "demo-ngo"
    static let caseCount = 300
    static let seed: UInt64 = 2006

    static func run(pool: PostgresPool, classifier: Classifier, users: UserStore) async throws {
        let credentials = Role.allCases.map { role in (name: "demo-\(role.rawValue)", role: role, password: "demo-\(role.rawValue)-pass") }
        let created = try await pool.transaction { connection -> Int in
            let organisation = try OrganisationStore.id(named: organisation, create: true, on: connection)
            for account in credentials where (try? users.find(name: account.name, on: connection)) == nil {
                _ = try users.add(name: account.name, role: account.role, organisation: organisation, password: account.password, on: connection)
            }
            let store = CaseStore(classifier: classifier)
            var created = 0
            for line in SyntheticCases(count: caseCount, seed: seed) {
                let facts = try CaseFacts.decode(jsonLine: line)
                let exists = try connection.query("SELECT 1 FROM cases WHERE organisation_id = \(organisation) AND ref = \(facts.ref)")
                if exists.isEmpty {
                    _ = try store.create(facts, organisation: organisation, caseworker: "demo-caseworker", on: connection)
                    created += 1
                }
            }
            return created
        }
        announce("demo data: organisation \(organisation), \(created) new synthetic cases (\(caseCount) in all)")
        announce("demo users (loopback only; change or lock them before real use):")
        for account in credentials {
            announce("  AUTH \(account.name) \(account.password)    (\(account.role.rawValue))")
        }
    }
}
