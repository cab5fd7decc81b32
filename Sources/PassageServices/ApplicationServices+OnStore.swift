import PassageCore
import PassageStore
import Postgres

/// What the services over the store are built from.
public struct StoreSetup: Sendable {
    /// Short transactions of every area.
    public var pool: PostgresPool
    /// STATS and GAPS run here when given (their own connections and statement time limit).
    public var heavyPool: PostgresPool?
    public var personalDataKey: PIIKey
    public var cases: CaseStore
    public var users: UserStore
    public var statistics: StatisticsStore
    public var auditAnchors: AuditAnchors?
    /// STATS and GAPS one user, and the server, may run at once (nil: no limit).
    public var heavyQueries: HeavyQueryLimit?
    /// The read standby STATS, GAPS and exports count on (`--read-database-url`); nil: the primary.
    public var readReplica: ReadReplica?
    /// Each user's bulk-read budget, shared by every area (nil: unlimited).
    public var bulkReads: BulkReadLimit?
    /// How much password checking sign-ins may take on (`SignInGate`).
    public var signInLimits = SignInLimits()
    /// How long a token session (HTTP API, web pages) lasts unless its opening asks otherwise.
    public var tokenSessionLifetime = TokenSessionLifetime.standard
    /// The migration versions the database must have applied to be ready (HEALTH, /readyz):
    /// this build's, or those of the `--schema-dir` the database was migrated with.
    public var schema: [Int] = MigrationSet.compiled.migrations.map(\.version)

    public init(
        pool: PostgresPool, heavyPool: PostgresPool? = nil, personalDataKey: PIIKey, cases: CaseStore = CaseStore(),
        users: UserStore = UserStore(), statistics: StatisticsStore = StatisticsStore(),
        auditAnchors: AuditAnchors? = nil, bulkReads: BulkReadLimit? = nil
    ) {
        self.pool = pool
        self.heavyPool = heavyPool
        self.personalDataKey = personalDataKey
        self.cases = cases
        self.users = users
        self.statistics = statistics
        self.auditAnchors = auditAnchors
        self.bulkReads = bulkReads
    }
}

extension ApplicationServices {
    /// The real services: every area over PassageStore.
    public static func onStore(_ setup: StoreSetup) -> ApplicationServices {
        let store = StoreWork(pool: setup.pool)
        let heavy = StoreWork(pool: setup.heavyPool ?? setup.pool)
        var services = ApplicationServices(
            cases: CaseServiceOnStore(
                store: store, cases: setup.cases, needs: NeedStore(),
                referrals: ReferralStore(key: setup.personalDataKey), bulkReads: setup.bulkReads),
            people: PersonServiceOnStore(
                store: store, people: PersonStore(key: setup.personalDataKey), bulkReads: setup.bulkReads),
            needs: NeedServiceOnStore(store: store, needs: NeedStore(), bulkReads: setup.bulkReads),
            referrals: ReferralServiceOnStore(
                store: store, referrals: ReferralStore(key: setup.personalDataKey), bulkReads: setup.bulkReads),
            providers: ProviderServiceOnStore(store: store, providers: ProviderStore(), bulkReads: setup.bulkReads),
            users: UserServiceOnStore(store: store, users: setup.users, bulkReads: setup.bulkReads),
            signIn: SignInServiceOnStore(
                store: store, users: setup.users, gate: SignInGate(limits: setup.signInLimits),
                sessionLifetime: setup.tokenSessionLifetime),
            audit: AuditServiceOnStore(
                store: store, anchors: setup.auditAnchors, bulkReads: setup.bulkReads, refusals: RefusalLimiter()),
            statistics: StatisticsServiceOnStore(
                store: heavy, statistics: setup.statistics, gate: setup.heavyQueries, replica: setup.readReplica),
            gaps: GapsServiceOnStore(
                store: heavy, gate: setup.heavyQueries,
                releases: GapReleases(period: setup.statistics.releasePeriod, now: setup.statistics.now),
                replica: setup.readReplica))
        services.health = HealthServiceOnStore(pool: setup.pool, expectedSchema: setup.schema)
        services.transfers = TransferServiceOnStore(store: store, transfers: TransferStore(key: setup.personalDataKey))
        services.duplicates = DuplicateServiceOnStore(store: store)
        if let keyring = setup.personalDataKey.keyring {
            services.erasure = ErasureServiceOnStore(store: store, erasure: ErasureStore(), keyring: keyring)
        }
        return services
    }
}
