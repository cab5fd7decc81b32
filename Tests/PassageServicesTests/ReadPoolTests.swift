import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// STATS and GAPS with a read pool (`--read-database-url`) on a real primary and hot standby
/// (`ReplicatedClusters`): the counting on the standby with its lag in the answer, the release
/// and audit entries on the primary; a standby behind the bound or stopped gives the fallback
/// or the refusal as configured.
@Suite("STATS and GAPS on a read standby", .serialized)
struct ReadPoolTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [("pol", .policy, "ngo-a")]

    /// A migrated Passage database on the pair's primary, replicated, with the policy account;
    /// ngo-a: 14 cases from SY and ngo-b 14 from AF, each with an open need nobody serves
    /// (unmet), all recorded last month (in the release).
    static func world(_ pair: ReplicatedClusters, logger: Logger) async throws -> PostgresPool {
        try pair.onPrimary("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        try MigrationRunner(migrations: try MigrationSet.load(from: MigratedDatabase.schemaDirectory), logger: logger)
            .run(conninfo: pair.conninfo(pair.primary))
        let primary = try PostgresPool(conninfo: pair.conninfo(pair.primary), size: 2, logger: logger)
        try await primary.transaction { connection in
            try TestAccounts.add(Self.accounts, on: connection)
            for (name, origin) in [("ngo-a", "SY"), ("ngo-b", "AF")] {
                try Self.unmetCases(14, origin: origin, organisation: name, on: connection)
            }
        }
        try pair.waitForStandby()
        return primary
    }

    static func unmetCases(_ count: Int, origin: String, organisation name: String, on connection: PostgresConnection)
        throws
    {
        let organisation = try OrganisationStore.id(named: name, create: true, on: connection)
        let ids = try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: origin), count: count), organisation: organisation,
            refPrefix: "\(name)-\(origin)", on: connection)
        try connection.execute(
            """
            INSERT INTO needs (case_id, organisation_id, code, priority, status, identified_by, identified_at)
            SELECT id, organisation_id, 'SM', 'normal', 'open', 'cw', \(StatisticsFixtures.lastMonth) FROM cases WHERE id = ANY(\(ids.map(Int.init)))
            """)
    }

    /// The services on the primary with a read pool on the standby.
    static func fixture(
        _ pair: ReplicatedClusters, primary: PostgresPool, maxLag: Duration, policy: ReadReplica.Policy,
        logger: Logger
    ) throws -> ServiceFixture {
        let standby = try PostgresPool(conninfo: pair.conninfo(pair.standby), size: 1, logger: logger, name: "read")
        var setup = StoreSetup(pool: primary, personalDataKey: ServiceFixture.personalDataKey)
        setup.readReplica = ReadReplica(pool: standby, maxLag: maxLag, policy: policy, logger: logger)
        return ServiceFixture(conninfo: pair.conninfo(pair.primary), pool: primary, services: .onStore(setup))
    }

    static func origins(_ answer: GapsAnswer) -> Set<String> {
        Set(
            answer.published.rows.compactMap { row -> String? in
                guard case .text(let origin) = row.first else { return nil }
                return origin
            })
    }

    static var quiet: Logger {
        var logger = Logger(label: "test.read-pool")
        logger.logLevel = .critical
        return logger
    }

    @Test(
        "STATS and GAPS count on the standby and say its lag; the release and the audit entries are on the primary; behind the bound, the primary counts"
    )
    func countsOnTheStandby() async throws {
        let pair = try ReplicatedClusters()
        defer { pair.remove() }
        let logger = Self.quiet
        let primary = try await Self.world(pair, logger: logger)
        defer { Task { await primary.shutdown() } }
        let lenient = try Self.fixture(
            pair, primary: primary, maxLag: .seconds(3600), policy: .fallback, logger: logger)
        let policy = try await lenient.actor("pol")

        let stats = try await lenient.services.statistics.aggregates(AggregateRequest(by: ["origin"]), by: policy)
        guard case .standby(let lag) = stats.readSource else {
            Issue.record("STATS expected from the standby, got \(String(describing: stats.readSource))")
            return
        }
        #expect(lag <= .seconds(3600))
        #expect(stats.readSource?.infoLine.hasPrefix("replica lag=") == true)
        #expect(Set(stats.table.cells.map(\.values)) == [["SY"], ["AF"]])
        // The release and the audit entries were written on the primary, in the second step.
        #expect(try await lenient.count("SELECT count(*) FROM statistics_releases") == 1)
        #expect(try await lenient.audit(.statsExport).map(\.actor) == ["pol"])

        let gaps = try await lenient.services.gaps.gaps(
            GapQuestion(kind: .unmet, dimensions: [.origin], area: nil, category: nil, days: 7), by: policy)
        guard case .standby = gaps.readSource else {
            Issue.record("GAPS expected from the standby, got \(String(describing: gaps.readSource))")
            return
        }
        #expect(Self.origins(gaps) == ["SY", "AF"])
        #expect(try await lenient.count("SELECT count(*) FROM gaps_releases") == 1)
        #expect(try await lenient.audit(.gapsUnmet).count == 1)

        // Replay paused, then 14 more unmet cases from SO on the primary: the standby has
        // received them, not applied them. Within a lenient bound the standby counts (no SO);
        // with a bound of zero the primary counts (SO there) and says why.
        try pair.onStandby("SELECT pg_wal_replay_pause()")
        try await primary.transaction { try Self.unmetCases(14, origin: "SO", organisation: "ngo-a", on: $0) }
        try pair.waitForStandby(receivedOnly: true)
        let onStandby = try await lenient.services.gaps.gaps(
            GapQuestion(kind: .unmet, dimensions: [.origin], area: nil, category: nil, days: 8), by: policy)
        #expect(Self.origins(onStandby) == ["SY", "AF"], "counted on the standby, which has not replayed SO")
        guard case .standby(let behind) = onStandby.readSource else {
            Issue.record("expected the standby, got \(String(describing: onStandby.readSource))")
            return
        }
        #expect(behind > .zero, "replay paused with WAL waiting: the lag is the age of the last replayed commit")

        let strict = try Self.fixture(pair, primary: primary, maxLag: .zero, policy: .fallback, logger: logger)
        let onPrimary = try await strict.services.gaps.gaps(
            GapQuestion(kind: .unmet, dimensions: [.origin], area: nil, category: nil, days: 9), by: policy)
        #expect(Self.origins(onPrimary) == ["SY", "AF", "SO"], "counted on the primary")
        guard case .primary(because: .standbyBehind(let measured?, let bound)) = onPrimary.readSource else {
            Issue.record("expected the primary, standby behind; got \(String(describing: onPrimary.readSource))")
            return
        }
        #expect(measured > bound)
        #expect(onPrimary.readSource?.infoLine.hasPrefix("replica primary reason=standby-behind lag=") == true)

        // Refusing instead: 451 (unavailable), nothing audited.
        let refusing = try Self.fixture(pair, primary: primary, maxLag: .zero, policy: .refuse, logger: logger)
        let audited = try await refusing.audit(.statsExport).count
        do {
            _ = try await refusing.services.statistics.aggregates(AggregateRequest(by: ["sex"]), by: policy)
            Issue.record("a STATS read was answered with the standby behind and the refuse policy")
        } catch {
            guard case .unavailable(let message) = error else {
                Issue.record("expected 451 (unavailable), got \(error)")
                return
            }
            #expect(message.contains("behind the primary") && message.contains("refuse"), "\(message)")
        }
        #expect(try await refusing.audit(.statsExport).count == audited)
        try pair.onStandby("SELECT pg_wal_replay_resume()")
    }

    @Test("the standby stopped: STATS and GAPS come from the primary and say so, or are refused (451)")
    func standbyStopped() async throws {
        let pair = try ReplicatedClusters()
        defer { pair.remove() }
        let logger = Self.quiet
        let primary = try await Self.world(pair, logger: logger)
        defer { Task { await primary.shutdown() } }
        let falling = try Self.fixture(pair, primary: primary, maxLag: .seconds(30), policy: .fallback, logger: logger)
        let refusing = try Self.fixture(pair, primary: primary, maxLag: .seconds(30), policy: .refuse, logger: logger)
        let policy = try await falling.actor("pol")
        try pair.standby.stop(immediate: true)

        let stats = try await falling.services.statistics.aggregates(AggregateRequest(by: ["origin"]), by: policy)
        #expect(stats.readSource == .primary(because: .standbyUnreachable))
        #expect(Set(stats.table.cells.map(\.values)) == [["SY"], ["AF"]])
        let gaps = try await falling.services.gaps.gaps(
            GapQuestion(kind: .unmet, dimensions: [.origin], area: nil, category: nil, days: 7), by: policy)
        #expect(gaps.readSource == .primary(because: .standbyUnreachable))
        #expect(gaps.readSource?.infoLine == "replica primary reason=standby-unreachable")
        #expect(Self.origins(gaps) == ["SY", "AF"])

        do {
            _ = try await refusing.services.gaps.gaps(
                GapQuestion(kind: .unmet, dimensions: [.origin], area: nil, category: nil, days: 30), by: policy)
            Issue.record("a GAPS read was answered with the standby down and the refuse policy")
        } catch {
            guard case .unavailable(let message) = error else {
                Issue.record("expected 451 (unavailable), got \(error)")
                return
            }
            #expect(message.contains("unreachable"), "\(message)")
        }
        do {
            _ = try await refusing.services.statistics.aggregates(AggregateRequest(by: ["sex"]), by: policy)
            Issue.record("a STATS read was answered with the standby down and the refuse policy")
        } catch {
            guard case .unavailable(let message) = error else {
                Issue.record("expected 451 (unavailable), got \(error)")
                return
            }
            #expect(message.contains("unreachable"), "\(message)")
        }
        #expect(try await falling.audit(.statsExport).count == 1)
        #expect(try await falling.audit(.gapsUnmet).count == 1)
    }
}
