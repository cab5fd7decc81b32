import ArgumentParser
import Foundation
import Logging
import PassageServices

/// `passage privacy-policy`: an administrator fixes differential privacy for an organisation's
/// published statistics (issue 17): ε per table and a budget per release, spent by all its
/// analysts together. Audited (`privacy.policy`) under `operator:<os user>`.
struct PrivacyPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy-policy",
        abstract: "Set or remove an organisation's differential-privacy policy for published statistics.",
        discussion: """
            --org NAME (or --all for the figures over every organisation) --epsilon E --budget B: every table \
            first published in a release (STATS, passage export, each GAPS measure) adds two-sided geometric \
            noise of ε=E on top of the cell-key noise and spends E per table level (margins, listed open \
            values) from B, the budget of that release shared by all the organisation's analysts. --remove \
            drops the policy. Without --epsilon/--remove: shows the policy.
            """)

    @Option(help: "The organisation whose figures the policy covers.") var org: String?
    @Flag(help: "The policy for figures over every organisation (policy staff, passage export without --org).")
    var all = false
    @Option(help: "ε per table, 0.01 to 10.") var epsilon: Double?
    @Option(help: "ε per release for the whole organisation (at least --epsilon, at most 1000).") var budget: Double?
    @Flag(help: "Remove the policy (no DP noise; the cell-key method alone).") var remove = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (org != nil) != all else { throw ValidationError("give exactly one of --org NAME and --all") }
        if remove && (epsilon != nil || budget != nil) {
            throw ValidationError("--remove takes no --epsilon or --budget")
        }
        if (epsilon == nil) != (budget == nil) { throw ValidationError("--epsilon and --budget go together") }
        for (flag, value) in [("--epsilon", epsilon), ("--budget", budget)] {
            if let value, !value.isFinite { throw ValidationError("\(flag) must be a number") }
        }
    }

    func run() async throws {
        let host = try await database.openServices(logger: Logger(label: "passage.privacy-policy"))
        // An administrator's act, audited under the operating-system user running it.
        let actor = OperatorIdentity.actor(role: .admin, organisation: org ?? "")
        let standing: PrivacyPolicyStanding
        do {
            if epsilon != nil || remove {
                standing = try await host.services.statistics.setPrivacyPolicy(
                    of: org, epsilon: epsilon, budget: budget, by: actor)
            } else {
                standing = try await host.services.statistics.privacyPolicy(of: org, by: actor)
            }
        } catch {
            await host.shutdown()
            throw ValidationError("\(error)")
        }
        await host.shutdown()
        if let epsilon = standing.epsilon, let budget = standing.budget {
            print("\(standing.scope): epsilon=\(epsilon) per table, budget=\(budget) per release")
        } else {
            print("\(standing.scope): no differential-privacy policy")
        }
    }
}
