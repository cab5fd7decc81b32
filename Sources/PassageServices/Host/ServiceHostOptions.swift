import PassageCore
import Postgres

/// How `ServiceHost` builds the services on a database: typed values the command line fills
/// from its flags. `server` is what `passage serve` starts from; `commandLine` what a one-off
/// subcommand (import, user, provider, export …) does.
public struct ServiceHostOptions: Sendable {
    /// Database connections and their time limits.
    public struct Pools: Sendable, Equatable {
        /// Connections for casework (short transactions).
        public var size: Int
        /// Connections for STATS, GAPS and the GAPS rollup refresh apart from casework's; nil:
        /// they share the casework pool.
        public var heavySize: Int?
        /// How long a casework statement may run, and a heavy one; nil: no limit.
        public var statementTimeout: Duration?
        public var heavyStatementTimeout: Duration?
        /// How long a statement may wait for a lock; nil: no limit.
        public var lockTimeout: Duration?
        /// How long a request waits for a free connection.
        public var acquireTimeout: Duration
        /// STATS and GAPS one user may run at once (all users together: the heavy pool's size);
        /// nil: no limit (a one-off command).
        public var heavyQueriesPerUser: Int?

        public init(
            size: Int, heavySize: Int?, statementTimeout: Duration?, heavyStatementTimeout: Duration?,
            lockTimeout: Duration?, acquireTimeout: Duration = .seconds(5), heavyQueriesPerUser: Int? = nil
        ) {
            self.size = size
            self.heavySize = heavySize
            self.statementTimeout = statementTimeout
            self.heavyStatementTimeout = heavyStatementTimeout
            self.lockTimeout = lockTimeout
            self.acquireTimeout = acquireTimeout
            self.heavyQueriesPerUser = heavyQueriesPerUser
        }

        /// `passage serve`'s defaults (its flags' defaults).
        public static let server = Pools(
            size: 8, heavySize: 2, statementTimeout: .seconds(30), heavyStatementTimeout: .seconds(120),
            lockTimeout: .seconds(5), heavyQueriesPerUser: 1)
        /// A one-off command run by an operator: two connections, statements as long as the
        /// database's size needs and locks waited for, since a half-done run is worse than a
        /// slow one.
        public static let commandLine = Pools(
            size: 2, heavySize: nil, statementTimeout: nil, heavyStatementTimeout: nil,
            lockTimeout: nil, acquireTimeout: .seconds(30))
    }

    /// Where the personal-data key comes from (`--pii-key-file`, else `PASSAGE_PII_KEY`, else
    /// the embedded data directory's).
    public enum PersonalDataKey: Sendable, Equatable {
        /// The services cannot start without it (`passage serve`).
        case required(file: String?)
        /// For commands that never read or write personal identifiers (user, provider, export,
        /// privacy-policy), which must also work on an existing server without the key. Without
        /// one the services are built on a key of this process only (`ServiceHost.hasPersonalDataKey`
        /// is false): a command that seals or opens identifiers asks for `.required`.
        case ifAvailable(file: String?)
    }

    /// The signed anchors of the audit chain (Docs/security.md "6. Audit").
    public enum AuditAnchoring: Sendable, Equatable {
        /// Not written (one-off commands; an existing server without the two files).
        case off
        /// `audit-anchors` and `audit-anchor.key` in the embedded data directory (off for an
        /// existing server), every `interval`.
        case inDataDirectory(every: Duration)
        /// The files given (`--audit-anchors`, `--audit-anchor-key-file`), every `interval`.
        case files(path: String, keyPath: String, every: Duration)
    }

    /// The demo accounts (Docs/security.md "10. Demo accounts").
    public enum DemoAccounts: Sendable, Equatable {
        /// Left as they are (one-off commands).
        case untouched
        /// `serve --demo`: opened with their published passwords, and a small synthetic
        /// population loaded once.
        case open
        /// A start without --demo: those still enabled are disabled, audited under the operator.
        case retire
    }

    /// A hot standby for STATS, GAPS and exports (`--read-database-url`, `--read-max-lag`,
    /// `--read-lag-policy`; Docs/operations.md "Read replicas and several hosts").
    public struct ReadPool: Sendable, Equatable {
        /// Connection string of the standby (several hosts allowed); Passage adds
        /// `target_session_attrs=prefer-standby` unless it names one.
        public var url: String
        /// The most replay lag an answer read there may have.
        public var maxLag: Duration
        public var policy: ReadReplica.Policy

        public init(url: String, maxLag: Duration, policy: ReadReplica.Policy) {
            self.url = url
            self.maxLag = maxLag
            self.policy = policy
        }

        /// Why libpq cannot use `url` as a connection string; nil when it can (checked before
        /// anything starts, so a typo is an error naming the flag, not a failed first STATS).
        public static func problem(with url: String) -> String? {
            do {
                _ = try TargetSession.preferStandby.defaulted(in: url, environment: [:])
                return nil
            } catch {
                return "libpq cannot parse it as a connection string (a postgresql:// URL or key=value words)"
            }
        }
    }

    public var personalDataKey: PersonalDataKey
    /// The read standby; nil: every read on the primary.
    public var readPool: ReadPool? = nil
    /// The key being replaced during a rotation (`--pii-previous-key-file`): values it sealed
    /// still open until `passage pii-key rotate` has re-sealed them; nil outside a rotation.
    public var previousPersonalDataKeyFile: String? = nil
    public var pools: Pools
    /// The jurisdiction lists cases are classified by.
    public var classifier: Classifier
    /// Where STATS and export count up to (the start of the current period).
    public var releasePeriod: StatisticsReleasePeriod
    /// The longest wait failed sign-ins impose on a name from an address.
    public var signInLockout: Duration
    /// How much password checking sign-ins may take on at once and per network.
    public var signInLimits: SignInLimits
    /// How long an HTTP API or web session's token lasts (`--http-session-hours`); 1 minute to 30 days.
    public var httpSessionLifetime: Duration
    /// Each user's bulk-read budget (rows of lists, AUDIT TAIL, PERSON SHOW a minute); nil: unlimited.
    public var bulkReads: BulkReadLimit?
    public var auditAnchoring: AuditAnchoring
    public var demoAccounts: DemoAccounts
    /// Minutes between refreshes of the GAPS rollup; nil: never (GAPS reads the base tables).
    public var gapsRefresh: Duration?
    /// Time between retention sweeps (erasing persons past their organisation's retention
    /// period; Docs/case-life.md); nil: none in this process (`passage erase-expired`).
    public var retentionSweep: Duration? = nil
    /// `--pcodes`: the P-code mapping HXL outputs use (`ApplicationServices.placeCodes`).
    public var placeCodes: PCodeMapping? = nil
    /// Re-seal personal identifiers stored before schema 12 before anything is served.
    public var resealLegacyIdentifiers: Bool
    /// Who is at work for what the host itself audits (retiring demo accounts):
    /// `operator:<os user>` on the command line.
    public var operatorName: String
    /// Stop the embedded cluster at shutdown even when this process found it running: the
    /// server owns its cluster; a one-off command leaves a running server's cluster alone.
    public var stopsClusterAtShutdown: Bool

    public init(
        personalDataKey: PersonalDataKey, pools: Pools, classifier: Classifier = Classifier(),
        releasePeriod: StatisticsReleasePeriod = .month, signInLockout: Duration = .seconds(15 * 60),
        signInLimits: SignInLimits = SignInLimits(), bulkReads: BulkReadLimit? = nil,
        auditAnchoring: AuditAnchoring = .off, demoAccounts: DemoAccounts = .untouched, gapsRefresh: Duration? = nil,
        resealLegacyIdentifiers: Bool = false, operatorName: String, stopsClusterAtShutdown: Bool = false,
        httpSessionLifetime: Duration = TokenSessionLifetime.standard
    ) {
        self.personalDataKey = personalDataKey
        self.pools = pools
        self.classifier = classifier
        self.releasePeriod = releasePeriod
        self.signInLockout = signInLockout
        self.signInLimits = signInLimits
        self.httpSessionLifetime = httpSessionLifetime
        self.bulkReads = bulkReads
        self.auditAnchoring = auditAnchoring
        self.demoAccounts = demoAccounts
        self.gapsRefresh = gapsRefresh
        self.resealLegacyIdentifiers = resealLegacyIdentifiers
        self.operatorName = operatorName
        self.stopsClusterAtShutdown = stopsClusterAtShutdown
    }

    /// A one-off subcommand run by `operatorName`: two connections without time limits, the
    /// personal-data key if there is one, nothing scheduled, demo accounts untouched.
    public static func commandLine(
        operatorName: String, personalDataKeyFile: String? = nil,
        classifier: Classifier = Classifier(),
        releasePeriod: StatisticsReleasePeriod = .month
    ) -> ServiceHostOptions {
        ServiceHostOptions(
            personalDataKey: .ifAvailable(file: personalDataKeyFile), pools: .commandLine, classifier: classifier,
            releasePeriod: releasePeriod, operatorName: operatorName)
    }
}
