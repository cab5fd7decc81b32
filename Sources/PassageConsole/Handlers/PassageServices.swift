import PassageStore
import Postgres

/// The console's services over Passage's store: what `passage serve` hands to the command table.
public enum PassageServices {
    public static func make(pool: PostgresPool, personalDataKey: PIIKey, classifier: CaseStore = CaseStore(),
                            users: UserStore = UserStore(), statistics: StatisticsStore = StatisticsStore()) -> ConsoleServices {
        let store = StoreCall(pool: pool)
        let referrals = ReferralStore(key: personalDataKey)
        let cases = CaseHandlers(store: store, cases: classifier, needs: NeedStore(), referrals: referrals)
        let needs = NeedHandlers(store: store, needs: NeedStore())
        let providers = ProviderHandlers(store: store, providers: ProviderStore())
        let referring = ReferralHandlers(store: store, referrals: referrals)
        let people = PersonHandlers(store: store, people: PersonStore(key: personalDataKey))
        let admin = AdminHandlers(store: store, users: users)
        let gaps = GapsHandler(store: store, gaps: GapsStore())
        let stats = StatsHandlers(store: store, statistics: statistics)
        var services = ConsoleServices(
            authenticator: StoreAuthenticator(store: store, users: users),
            caseNew: cases.new, caseShow: cases.show, caseSet: cases.set, caseOverride: cases.override, caseList: cases.list,
            personSet: people.set, personShow: people.show,
            needAdd: needs.add, providerAdd: providers.add, refer: referring.refer, referralSet: referring.set,
            stats: stats.stats, gaps: gaps.handle,
            auditTail: admin.auditTail, auditVerify: admin.auditVerify,
            userAdd: admin.userAdd, userPasswd: admin.userPasswd, userLock: admin.userLock, userUnlock: admin.userUnlock,
            userList: admin.userList)
        services.needList = needs.list
        services.needSet = needs.set
        services.providerList = providers.list
        services.referralList = referring.list
        services.referralShow = referring.show
        return services
    }
}
