import Logging
import PassageServices
import PassageStore
import Postgres

/// The console's services over Passage's store: what `passage serve` hands to the command table.
public enum ConsoleServicesOnStore {
    public static func make(
        pool: PostgresPool, personalDataKey: PIIKey, classifier: CaseStore = CaseStore(),
        users: UserStore = UserStore(), statistics: StatisticsStore = StatisticsStore(),
        auditAnchors: AuditAnchors? = nil, limits: ServiceLimits = ServiceLimits(),
        signInLimits: SignInLimits = SignInLimits()
    ) -> ConsoleServices {
        // STATS and GAPS: on their own connections when given, never more at once than the gate allows.
        let heavy = StoreCall(pool: limits.heavyPool ?? pool)
        let gaps = GapsHandler(
            store: heavy, gaps: GapsStore(), gate: limits.heavyQueries,
            releases: GapReleases(period: statistics.releasePeriod, now: statistics.now))
        var setup = StoreSetup(
            pool: pool, heavyPool: limits.heavyPool, personalDataKey: personalDataKey,
            cases: classifier, users: users, statistics: statistics, auditAnchors: auditAnchors,
            bulkReads: limits.bulkReads)
        setup.signInLimits = signInLimits
        setup.heavyQueries = limits.heavyQueries
        return ConsoleServices(gaps: gaps.handle, application: .onStore(setup))
    }

    /// What `ConsoleConfiguration.sessionChecker` needs to end sessions whose credentials ended.
    public static func sessionChecker(pool: PostgresPool) -> any SessionCredentialsChecker {
        SignInSessionChecker(ApplicationServices.signIn(onStore: pool))
    }
}
