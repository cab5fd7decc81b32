import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// `passage serve --demo`: a demo organisation with one user per role and a small synthetic
/// population from the same generator as `passage demo` (cases, needs, providers, referrals),
/// so a newcomer can sign in and look around, GAPS included. Safe to run again: demo users are
/// enabled with their published passwords again, and the population is loaded only once.
enum DemoSeed {
    static let organisation = DemoAccounts.organisation
    static let caseCount = 300
    static let seed: UInt64 = 2006

    static func run(pool: PostgresPool, classifier: Classifier, users: UserStore) async throws {
        let credentials = DemoAccounts.all
        try await pool.transaction { connection in
            try DemoAccounts.open(users: users, on: connection)
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

    /// A start without --demo: demo accounts left from an earlier --demo start are disabled,
    /// loudly (a warning naming them) and audited under the operator who started the server.
    static func retireAccounts(pool: PostgresPool, users: UserStore, logger: Logger) async throws {
        let retired = try await pool.transaction { connection in
            try DemoAccounts.retire(users: users, actor: OperatorIdentity.current(), source: "passage serve", on: connection)
        }
        guard !retired.isEmpty else { return }
        logger.warning("demo accounts disabled, their published passwords replaced: \(retired.joined(separator: ", ")) (a start without --demo; serve --demo opens them again)")
    }
}
