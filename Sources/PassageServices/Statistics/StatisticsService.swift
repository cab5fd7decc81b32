import PassageCore
import PassageStore

/// The use cases of this area, as every interface sees them (see ApplicationServices).
///
/// Whose figures: the actor's role decides. Policy staff count every organisation, anyone else
/// their own (`actor.organisation`); a command-line operator is given the role that matches
/// `--org` (see `passage export`). Every export is read from the current release and audited
/// under the actor, in one transaction with the budget it spends.
public protocol StatisticsService: Sendable {
    /// Anonymised aggregates (STATS, `passage export`), disclosure control always on.
    func aggregates(_ request: AggregateRequest, by actor: Actor) async throws(ServiceError) -> StatisticsExport
    /// Anonymised microdata of cases, k-anonymous (and l-diverse when asked) with a global
    /// re-identification risk below 1 %.
    func microdata(_ request: MicrodataRequest, by actor: Actor) async throws(ServiceError) -> MicrodataExport
    /// The differential-privacy policy of `organisation` (nil: of the figures over every organisation).
    func privacyPolicy(of organisation: String?, by actor: Actor) async throws(ServiceError) -> PrivacyPolicyStanding
    /// Sets (`epsilon` and `budget`) or with nils removes that policy, audited as `privacy.policy`.
    func setPrivacyPolicy(
        of organisation: String?, epsilon: Double?, budget: Double?,
        by actor: Actor
    ) async throws(ServiceError) -> PrivacyPolicyStanding
}
