import Foundation
import PassageCore
import PassageStore
import Postgres

/// `passage serve --demo`: a demo organisation with one user per role and a small synthetic
/// population from the same generator as `passage demo` (cases, needs, providers, referrals),
/// so a newcomer can sign in and look around, GAPS included. Safe to run again: existing demo
/// users are kept, and the population is loaded only once.
enum DemoSeed {
    static let organisation = "demo-ngo"
    static let caseCount = 300
    static let seed: UInt64 = 2006

    static func run(pool: PostgresPool, classifier: Classifier, users: UserStore) async throws {
        let credentials = Role.allCases.map { role in (name: "demo-\(role.rawValue)", role: role, password: "demo-\(role.rawValue)-pass") }
        try await pool.transaction { connection in
            let organisation = try OrganisationStore.id(named: organisation, create: true, on: connection)
            for account in credentials where (try? users.find(name: account.name, on: connection)) == nil {
                _ = try users.add(name: account.name, role: account.role, organisation: organisation, password: account.password, on: connection)
            }
        }
        let summary = try await pool.withConnection { connection -> String in
            let population = DemoPopulation(caseCount: caseCount, seed: seed, asOf: Int64(Date().timeIntervalSince1970),
                                            serviceNeeds: try DemoLoad.serviceNeeds(on: connection), mainOrganisation: organisation)
            do {
                let report = try DemoLoad(classifier: classifier).run(population, actor: "passage serve --demo", on: connection)
                return "\(report.cases) synthetic cases, \(report.needs) needs, \(report.providers) providers, \(report.referrals) referrals"
            } catch StoreError.duplicate {
                return "synthetic population already loaded"
            }
        }
        announce("demo data: organisation \(organisation) and five partner organisations: \(summary)")
        announce("demo users (loopback only; change or lock them before real use):")
        for account in credentials {
            announce("  AUTH \(account.name) \(account.password)    (\(account.role.rawValue))")
        }
    }
}
