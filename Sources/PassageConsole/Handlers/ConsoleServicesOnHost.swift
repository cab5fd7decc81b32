import PassageServices

extension ConsoleServicesOnStore {
    /// `passage serve`: the console's services on the host's. Commands declared with an action
    /// run on `host.services`; the areas still wired by handler closures run on the host's
    /// store setup until they move (issue #18), then this is `host.services` alone.
    public static func make(_ host: ServiceHost) -> ConsoleServices {
        let setup = host.storeSetup
        var services = make(
            pool: setup.pool, personalDataKey: setup.personalDataKey, classifier: setup.cases, users: setup.users,
            statistics: setup.statistics, auditAnchors: setup.auditAnchors,
            limits: ServiceLimits(
                heavyQueries: setup.heavyQueries ?? HeavyQueryLimit(), bulkReads: setup.bulkReads,
                heavyPool: setup.heavyPool),
            signInLimits: setup.signInLimits)
        services.application = host.services
        return services
    }
}
