import Logging
import PassageServices
import PassageStore
import Postgres
import PassageServices

/// The console's services over Passage's store: what `passage serve` hands to the command table.
public enum ConsoleServicesOnStore {
    public static func make(pool: PostgresPool, personalDataKey: PIIKey, classifier: CaseStore = CaseStore(),
                            users: UserStore = UserStore(), statistics: StatisticsStore = StatisticsStore(),
                            auditAnchors: AuditAnchors? = nil, limits: ServiceLimits = ServiceLimits(),
                            signInLimits: SignInLimits = SignInLimits()) -> ConsoleServices {
        let store = StoreCall(pool: pool)
        let admin = AdminHandlers(store: store, users: users)
        let audit = AuditHandlers(store: store, anchors: auditAnchors)
        // STATS and GAPS: on their own connections when given, never more at once than the gate allows.
        let heavy = StoreCall(pool: limits.heavyPool ?? pool)
        let gaps = GapsHandler(store: heavy, gaps: GapsStore(), gate: limits.heavyQueries,
                               releases: GapReleases(period: statistics.releasePeriod, now: statistics.now))
        let stats = StatsHandlers(store: heavy, statistics: statistics, gate: limits.heavyQueries)
        var services = ConsoleServices(
            authenticator: StoreAuthenticator(store: store, users: users, gate: SignInGate(limits: signInLimits)),
            stats: stats.stats, gaps: gaps.handle,
            auditTail: audit.tail, auditVerify: audit.verify,
            userAdd: admin.userAdd, userPasswd: admin.userPasswd, userLock: admin.userLock, userUnlock: admin.userUnlock,
            userList: admin.userList,
            application: .onStore(StoreSetup(pool: pool, heavyPool: limits.heavyPool, personalDataKey: personalDataKey,
                                             cases: classifier, users: users, statistics: statistics, auditAnchors: auditAnchors,
                                             bulkReads: limits.bulkReads)))
        services.userRole = admin.userRole
        services.userRemove = admin.userRemove
        services.refusalAudit = StoreRefusalAudit(store: store, limiter: RefusalLimiter(), logger: Logger(label: "passage.audit"))
        let supervisors = SupervisorHandlers(store: store)
        services.notices = supervisors.notices
        services.userConfirm = supervisors.userConfirm
        if let bulk = limits.bulkReads {
            // Reads that return many records, or a person's details: a per-user row budget.
            services.auditTail = bulk.limiting(services.auditTail)
            services.userList = bulk.limiting(services.userList)
        }
        return services
    }

    /// What `ConsoleConfiguration.sessionChecker` needs to end sessions whose credentials ended.
    public static func sessionChecker(pool: PostgresPool) -> any SessionCredentialsChecker {
        StoreSessionChecker(pool: pool)
    }
}
