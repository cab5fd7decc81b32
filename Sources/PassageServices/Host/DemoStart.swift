import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// What `passage serve --demo` made, for the operator to read at start: the demo organisation,
/// one account per role with its published password, and what was loaded.
public struct DemoStart: Sendable {
    public struct Account: Sendable, Equatable {
        public let name: String
        public let role: Role
        public let password: String
    }

    public let organisation: String
    public let accounts: [Account]
    /// "300 synthetic cases, …", or that the population was already loaded.
    public let population: String

    static let caseCount = 300
    static let seed: UInt64 = 2006

    /// `serve --demo`: one user per role in the demo organisation with its published password,
    /// and a small synthetic population from the same generator as `passage demo` (cases,
    /// needs, providers, referrals), so a newcomer can sign in and look around, GAPS included.
    /// Safe to run again: the accounts are opened again, the population is loaded only once.
    static func open(pool: PostgresPool, classifier: Classifier, users: UserStore) async throws -> DemoStart {
        let organisation = DemoAccounts.organisation
        try await pool.transaction { connection in
            try DemoAccounts.open(users: users, on: connection)
        }
        let population = try await pool.withConnection { connection -> String in
            let population = DemoPopulation(
                caseCount: caseCount, seed: seed, asOf: Int64(Date().timeIntervalSince1970),
                serviceNeeds: try DemoLoad.serviceNeeds(on: connection), mainOrganisation: organisation)
            do {
                let report = try DemoLoad(classifier: classifier).run(
                    population, actor: "passage serve --demo", on: connection)
                return
                    "\(report.cases) synthetic cases, \(report.needs) needs, \(report.providers) providers, \(report.referrals) referrals"
            } catch StoreError.duplicate {
                return "synthetic population already loaded"
            }
        }
        return DemoStart(
            organisation: organisation,
            accounts: DemoAccounts.all.map { Account(name: $0.name, role: $0.role, password: $0.password) },
            population: population)
    }

    /// A start without --demo: demo accounts left from an earlier --demo start are disabled,
    /// loudly (a warning naming them) and audited under the operator who started the server.
    static func retireAccounts(pool: PostgresPool, users: UserStore, operatorName: String, logger: Logger) async throws
    {
        let retired = try await pool.transaction { connection in
            try DemoAccounts.retire(users: users, actor: operatorName, source: "passage serve", on: connection)
        }
        guard !retired.isEmpty else { return }
        logger.warning(
            "demo accounts disabled, their published passwords replaced: \(retired.joined(separator: ", ")) (a start without --demo; serve --demo opens them again)"
        )
    }
}
