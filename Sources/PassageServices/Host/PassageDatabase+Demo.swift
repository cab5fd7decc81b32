import PassageCore
import PassageStore
import Postgres

/// What `passage demo` loaded, and the GAPS rollup refreshed after it.
public struct DemoLoadOutcome: Sendable {
    public var cases: Int
    public var needs: Int
    public var referrals: Int
    public var referralEvents: Int
    public var providers: Int
    /// Cases by movement category (its id, or `MovementCategory.unclassifiedID`).
    public var byCategory: [String: Int]
    public var loading: Duration
    /// Each phase of the load and its time, in order.
    public var phases: [(String, Duration)]
    public var rollupRows: Int
    public var rollupTook: Duration
    /// Each GAPS kind's grouping query and its time.
    public var rollupPhases: [(String, Duration)]
}

extension PassageDatabase {
    /// `passage demo`: a deterministic synthetic population (the generator behind `serve
    /// --demo`) loaded through COPY in one transaction, audited under `actor`, then the GAPS
    /// rollup refreshed. The same seed twice is refused (`conflict`).
    public func loadDemoPopulation(
        cases: Int, seed: UInt64, asOf: Int64, classifier: Classifier,
        actor: String
    ) throws(ServiceError) -> DemoLoadOutcome {
        do {
            let connection = try maintenanceConnection()
            defer { connection.close() }
            let population = DemoPopulation(
                caseCount: cases, seed: seed, asOf: asOf, serviceNeeds: try DemoLoad.serviceNeeds(on: connection))
            let report = try DemoLoad(classifier: classifier).run(population, actor: actor, on: connection)
            let refresh = try GapRollup().refresh(on: connection)
            return DemoLoadOutcome(
                cases: report.cases, needs: report.needs, referrals: report.referrals,
                referralEvents: report.referralEvents,
                providers: report.providers, byCategory: report.byCategory, loading: report.loading,
                phases: report.phases,
                rollupRows: refresh.rows, rollupTook: refresh.took,
                rollupPhases: refresh.byKind.map { ($0.0.rawValue, $0.1) })
        } catch {
            throw StoreWork.serviceError(for: error)
        }
    }
}
