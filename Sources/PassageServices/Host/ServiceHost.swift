import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// The application services running on Passage's database: what `passage serve` and every
/// subcommand below the interfaces start. It opens the pools (casework and heavy, each with
/// its statement and lock time limits), loads the personal-data key and the audit anchors,
/// opens or retires the demo accounts, schedules the GAPS rollup and the audit anchors, and
/// hands back `services`. `shutdown` undoes all of it, the embedded cluster included.
///
/// ```swift
/// let host = try await ServiceHost.open(choice, .commandLine(operatorName: OperatorIdentity.current()), logger: logger)
/// defer { host.shutdownSoon() }   // or: await host.shutdown()
/// let export = try await host.services.statistics.export(request, by: actor)
/// ```
public final class ServiceHost: Sendable {
    public let database: PassageDatabase
    public let services: ApplicationServices
    /// What `serve --demo` opened and loaded; nil without it.
    public let demo: DemoStart?
    /// False when the options allowed starting without a personal-data key and there was none.
    public let hasPersonalDataKey: Bool
    /// The audit anchors file written to; nil when anchoring is off.
    public let auditAnchorsPath: String?
    /// What the services over the store are built from (its pools, key, anchors and limits).
    public let storeSetup: StoreSetup

    private let options: ServiceHostOptions
    private let logger: Logger
    private let schedules: [Task<Void, Never>]
    /// The keyring's database (and cluster), closed with the host.
    private let keyringDatabase: KeyringDatabase?

    private init(
        database: PassageDatabase, services: ApplicationServices, keyringDatabase: KeyringDatabase?, demo: DemoStart?,
        hasPersonalDataKey: Bool, auditAnchorsPath: String?, storeSetup: StoreSetup, options: ServiceHostOptions,
        logger: Logger, schedules: [Task<Void, Never>]
    ) {
        self.database = database
        self.services = services
        self.demo = demo
        self.hasPersonalDataKey = hasPersonalDataKey
        self.auditAnchorsPath = auditAnchorsPath
        self.storeSetup = storeSetup
        self.options = options
        self.logger = logger
        self.schedules = schedules
        self.keyringDatabase = keyringDatabase
    }

    /// Opens the chosen database (migrated) and starts the services on it. Whatever stops the
    /// start, nothing it started is left running.
    public static func open(_ choice: DatabaseChoice, _ options: ServiceHostOptions, logger: Logger) async throws
        -> ServiceHost
    {
        let database = try PassageDatabase.open(choice, logger: logger)
        return try await start(on: database, options, logger: logger)
    }

    /// Starts the services on an open database. On failure the database is closed (stopped
    /// when `options.stopsClusterAtShutdown`).
    public static func start(on database: PassageDatabase, _ options: ServiceHostOptions, logger: Logger) async throws
        -> ServiceHost
    {
        var keyringDatabase: KeyringDatabase?
        let closeDatabase = {
            keyringDatabase?.close(stopCluster: options.stopsClusterAtShutdown)
            if options.stopsClusterAtShutdown { database.stop() } else { database.close() }
        }
        var key: PIIKey
        let hasKey: Bool
        let anchors: AuditAnchors?
        do {
            switch options.personalDataKey {
            case .required(let file):
                key = try database.personalDataKey(file: file, required: true, generating: true)!
                hasKey = true
            case .ifAvailable(let file):
                if let found = try database.personalDataKey(file: file, required: false, generating: false) {
                    key = found
                    hasKey = true
                } else {
                    key = try Self.keyOfThisProcess()
                    hasKey = false
                }
            }
            if hasKey, let previous = options.previousPersonalDataKeyFile {
                key = try key.opening(alsoUnder: PIIKey.read(previous))
            }
            anchors = try Self.auditAnchors(options.auditAnchoring, dataDirectory: database.dataDirectory)
            // Each person's own key is kept in the keyring, apart from the case database
            // (Docs/case-life.md "Retention and erasure"). Opened for the services that read
            // or write persons (those that require the key), not for every one-off command.
            if hasKey, case .required = options.personalDataKey {
                keyringDatabase = try database.openKeyring(logger: logger)
                if let keyringDatabase {
                    key = key.using(keyring: keyringDatabase.keyring)
                } else {
                    logger.warning(
                        "no keyring (--keyring-url): persons are sealed under the personal-data key itself and cannot be erased by crypto-shredding"
                    )
                }
            }
            if options.resealLegacyIdentifiers && hasKey && !database.isServiceRole {
                // Identifiers pgp_sym_encrypt sealed before schema 12 are re-sealed once, before
                // anything is served (Docs/operations.md "The personal-data key").
                try LegacyIdentifierMigration(key: key, logger: logger).run(conninfo: database.opened.conninfo)
            }
            if case .required = options.personalDataKey {
                // A wrong key file is refused here, not met at the first PERSON SHOW.
                try database.checkPersonalDataKey(key, logger: logger)
            }
        } catch {
            closeDatabase()
            throw error
        }
        let pools = options.pools
        let pool: PostgresPool
        let heavyPool: PostgresPool?
        do {
            pool = try database.pool(
                size: pools.size,
                timeouts: PostgresTimeouts(statement: pools.statementTimeout, lock: pools.lockTimeout),
                acquireTimeout: pools.acquireTimeout, logger: logger)
        } catch {
            closeDatabase()
            throw error
        }
        do {
            heavyPool = try pools.heavySize.map { size in
                try database.pool(
                    size: size,
                    timeouts: PostgresTimeouts(statement: pools.heavyStatementTimeout, lock: pools.lockTimeout),
                    acquireTimeout: pools.acquireTimeout, logger: logger, name: "heavy")
            }
        } catch {
            await pool.shutdown()
            closeDatabase()
            throw error
        }
        var readReplica: ReadReplica?
        do {
            readReplica = try options.readPool.map { read in
                ReadReplica(
                    pool: try database.readPool(
                        url: read.url, size: pools.heavySize ?? pools.size,
                        // A standby that does not answer costs each heavy read 3 s, not libpq's 10.
                        timeouts: PostgresTimeouts(
                            connect: .seconds(3), statement: pools.heavyStatementTimeout, lock: pools.lockTimeout),
                        acquireTimeout: pools.acquireTimeout, logger: logger),
                    maxLag: read.maxLag, policy: read.policy, logger: logger)
            }
        } catch {
            await pool.shutdown()
            await heavyPool?.shutdown()
            closeDatabase()
            throw error
        }
        let users = UserStore(throttle: SignInThrottle(longestDelay: options.signInLockout))
        var setup = StoreSetup(
            pool: pool, heavyPool: heavyPool, personalDataKey: key, cases: CaseStore(classifier: options.classifier),
            users: users, statistics: StatisticsStore(releasePeriod: options.releasePeriod.storePeriod),
            auditAnchors: anchors, bulkReads: options.bulkReads)
        setup.signInLimits = options.signInLimits
        setup.readReplica = readReplica
        setup.tokenSessionLifetime = options.httpSessionLifetime
        setup.heavyQueries = pools.heavyQueriesPerUser.map {
            HeavyQueryLimit(perUser: $0, total: pools.heavySize ?? pools.size)
        }
        var demo: DemoStart?
        do {
            // Readiness wants these applied, no more, no less: the open just made (or found) the
            // database's migrations equal to the set this build runs with, so they are that set.
            setup.schema = try await pool.withConnection { try AppliedMigrations.versions(on: $0) }
            switch options.demoAccounts {
            case .untouched: break
            case .open: demo = try await DemoStart.open(pool: pool, classifier: options.classifier, users: users)
            // Demo accounts have published passwords: they do not survive into a real start.
            case .retire:
                try await DemoStart.retireAccounts(
                    pool: pool, users: users, operatorName: options.operatorName, logger: logger)
            }
        } catch {
            await pool.shutdown()
            await heavyPool?.shutdown()
            await readReplica?.pool.shutdown()
            closeDatabase()
            throw error
        }
        var schedules: [Task<Void, Never>] = []
        if let anchors, let interval = options.auditAnchoring.interval {
            schedules.append(AuditAnchorSchedule.start(anchors: anchors, pool: pool, every: interval, logger: logger))
        }
        if let refresh = options.gapsRefresh {
            schedules.append(GapRollupSchedule.start(pool: heavyPool ?? pool, every: refresh, logger: logger))
        }
        var services = ApplicationServices.onStore(setup)
        services.placeCodes = options.placeCodes
        if keyringDatabase != nil {
            // An erasure interrupted between the two databases is finished before serving.
            do {
                let finished = try await services.erasure.finishPendingErasures()
                if finished > 0 { logger.info("finished \(finished) interrupted erasures (keyring entries destroyed)") }
            } catch {
                logger.warning("interrupted erasures could not be finished now (retried by the sweep): \(error)")
            }
            if let every = options.retentionSweep {
                schedules.append(
                    RetentionSchedule.start(
                        services.erasure, every: every, operatorName: options.operatorName, logger: logger))
            }
        }
        return ServiceHost(
            database: database, services: services, keyringDatabase: keyringDatabase, demo: demo,
            hasPersonalDataKey: hasKey, auditAnchorsPath: anchors?.path, storeSetup: setup, options: options,
            logger: logger, schedules: schedules)
    }

    /// Cases an earlier classifier version decided, which keep that result until an operator
    /// runs `passage reclassify`; nil when the database could not say.
    public func casesAwaitingReclassification() async -> Int? {
        try? await storeSetup.pool.withConnection { try CaseReclassification.pendingCount(on: $0) }
    }

    /// Whether the services can answer: the database answers a query within 2 s and its applied
    /// migrations are the ones this build carries (`/readyz`; the console's HEALTH shows the same
    /// check line by line). Nothing else is told: a readiness probe is unauthenticated.
    public func isReady() async -> Bool {
        await services.health.check().isReady
    }

    /// Stops the schedules, anchors the audit chain once more, closes the pools and the
    /// database (the embedded cluster stopped when the options say the host owns it).
    public func shutdown() async {
        for schedule in schedules { schedule.cancel() }
        if let anchors = storeSetup.auditAnchors {
            await AuditAnchorSchedule.anchorNow(anchors: anchors, pool: storeSetup.pool, logger: logger)
        }
        await storeSetup.pool.shutdown()
        await storeSetup.heavyPool?.shutdown()
        await storeSetup.readReplica?.pool.shutdown()
        keyringDatabase?.close(stopCluster: options.stopsClusterAtShutdown)
        if options.stopsClusterAtShutdown { database.stop() } else { database.close() }
    }

    /// The audit anchors the options name; nil (anchoring off) for an existing server without
    /// the two files.
    static func auditAnchors(_ anchoring: ServiceHostOptions.AuditAnchoring, dataDirectory: String?) throws
        -> AuditAnchors?
    {
        switch anchoring {
        case .off: return nil
        case .inDataDirectory: return try dataDirectory.map { try AuditAnchors.inDirectory($0) }
        case .files(let path, let keyPath, _): return try AuditAnchors.opening(path: path, keyPath: keyPath)
        }
    }

    /// A key that lives only in this process, for a command that needs none (see
    /// `ServiceHostOptions.PersonalDataKey.ifAvailable`).
    static func keyOfThisProcess() throws -> PIIKey {
        try PIIKey(secret: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined())
    }
}

extension ServiceHostOptions.AuditAnchoring {
    var interval: Duration? {
        switch self {
        case .off: nil
        case .inDataDirectory(let every), .files(_, _, let every): every
        }
    }
}
