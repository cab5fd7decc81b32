import ArgumentParser
import Foundation
import Logging
import PassageStore
import Postgres

/// `passage privacy-policy`: an administrator fixes differential privacy for an organisation's
/// published statistics (issue 17): ε per table and a budget per release, spent by all its
/// analysts together. Audited (`privacy.policy`) under `operator:<os user>`.
struct PrivacyPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy-policy",
        abstract: "Set or remove an organisation's differential-privacy policy for published statistics.",
        discussion: """
            --org NAME (or --all for the figures over every organisation) --epsilon E --budget B: every table \
            first published in a release adds two-sided geometric noise of ε=E on top of the cell-key noise and \
            spends E (per margin level with totals) from B, the budget of that release shared by all the \
            organisation's analysts. --remove drops the policy. Without --epsilon/--remove: shows the policy.
            """)

    @Option(help: "The organisation whose figures the policy covers.") var org: String?
    @Flag(help: "The policy for figures over every organisation (policy staff, passage export without --org).") var all = false
    @Option(help: "ε per table, 0.01 to 10.") var epsilon: Double?
    @Option(help: "ε per release for the whole organisation (at least --epsilon, at most 1000).") var budget: Double?
    @Flag(help: "Remove the policy (no DP noise; the cell-key method alone).") var remove = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (org != nil) != all else { throw ValidationError("give exactly one of --org NAME and --all") }
        if remove && (epsilon != nil || budget != nil) { throw ValidationError("--remove takes no --epsilon or --budget") }
        if (epsilon == nil) != (budget == nil) { throw ValidationError("--epsilon and --budget go together") }
        if let epsilon, let budget {
            do { _ = try PrivacyPolicy(epsilon: epsilon, budget: budget) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        let (opened, _) = try database.openMigrated(logger: Logger(label: "passage.privacy-policy"))
        defer { opened.close(stopCluster: false) }
        let connection = try PostgresConnection.connect(opened.conninfo)
        defer { connection.close() }
        let organisation = try org.map { try OrganisationStore.id(named: $0, create: false, on: connection) }
        let scope = PrivacyPolicy.scope(organisation: organisation)
        if let epsilon, let budget {
            try PrivacyPolicy.set(try PrivacyPolicy(epsilon: epsilon, budget: budget), scope: scope, actor: OperatorIdentity.current(),
                                  source: "cli", on: connection)
        } else if remove {
            try PrivacyPolicy.set(nil, scope: scope, actor: OperatorIdentity.current(), source: "cli", on: connection)
        }
        let current = try PrivacyPolicy.current(scope: scope, on: connection)
        print(current.map { "\(scope): epsilon=\($0.epsilon) per table, budget=\($0.budget) per release" } ?? "\(scope): no differential-privacy policy")
    }
}
