import PassageCore
import PassageServices
import PassageStore
import Synchronization

/// StatisticsService in memory, for the console's tests: it records what was asked and answers
/// `unavailable` (no release in memory); the end-to-end tests cover the real figures.
final class FakeStatisticsService: StatisticsService {
    private let calls = Mutex<[String]>([])
    private let aggregateCalls = Mutex<[AggregateRequest]>([])

    /// What was asked, oldest first ("aggregates by=origin", "microdata", …).
    var asked: [String] { calls.withLock { $0 } }
    /// The aggregate requests, typed as the console built them, oldest first.
    var aggregateRequests: [AggregateRequest] { aggregateCalls.withLock { $0 } }

    func aggregates(_ request: AggregateRequest, by actor: Actor) async throws(ServiceError) -> StatisticsExport {
        calls.withLock { $0.append("aggregates by=\(request.by.joined(separator: ","))") }
        aggregateCalls.withLock { $0.append(request) }
        throw .unavailable("no statistics in the fake")
    }

    func microdata(_ request: MicrodataRequest, by actor: Actor) async throws(ServiceError) -> MicrodataExport {
        calls.withLock { $0.append("microdata") }
        throw .unavailable("no statistics in the fake")
    }

    func privacyPolicy(of organisation: String?, by actor: Actor) async throws(ServiceError) -> PrivacyPolicyStanding {
        PrivacyPolicyStanding(scope: organisation.map { "organisation:\($0)" } ?? "all", epsilon: nil, budget: nil)
    }

    func setPrivacyPolicy(
        of organisation: String?, epsilon: Double?, budget: Double?,
        by actor: Actor
    ) async throws(ServiceError) -> PrivacyPolicyStanding {
        calls.withLock { $0.append("set privacy policy") }
        return PrivacyPolicyStanding(
            scope: organisation.map { "organisation:\($0)" } ?? "all", epsilon: epsilon, budget: budget)
    }
}
