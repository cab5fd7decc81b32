import Foundation
import Logging
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

/// Read replicas and several hosts on real PostgreSQL: a primary and a hot standby of it
/// (`ReplicatedClusters`, pg_basebackup -R), each test with its own pair.
@Suite("Read replica and failover on a real standby")
struct ReplicaAndFailoverTests {
    let logger = Logger(label: "test")

    private func count(_ connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) FROM registered")[0].decode(Int.self)
    }

    @Test(
        "a heavy read is answered from the standby with its lag; behind the bound or down, from the primary or refused")
    func readsFromTheStandbyAndFallsBack() async throws {
        let pair = try ReplicatedClusters()
        defer { pair.remove() }
        try pair.onPrimary("CREATE TABLE registered (n int); INSERT INTO registered SELECT generate_series(1, 3)")
        try pair.waitForStandby()
        let primary = try PostgresPool(conninfo: pair.conninfo(pair.primary), size: 1, logger: logger)
        let standbyPool = try PostgresPool(conninfo: pair.conninfo(pair.standby), size: 1, logger: logger)
        defer {
            Task {
                await primary.shutdown()
                await standbyPool.shutdown()
            }
        }
        let replica = ReadReplica(pool: standbyPool, maxLag: .seconds(30), policy: .fallback, logger: logger)
        let refusing = ReadReplica(pool: standbyPool, maxLag: .seconds(30), policy: .refuse, logger: logger)

        let fromStandby = try await replica.read(primary: primary) { connection in
            (try self.count(connection), try connection.replicaStanding().isStandby)
        }
        #expect(fromStandby.value.0 == 3)
        #expect(fromStandby.value.1, "answered on the standby")
        guard case .standby(let lag) = fromStandby.source else {
            Issue.record("expected an answer from the standby, got \(fromStandby.source)")
            return
        }
        #expect(lag <= .seconds(30))
        #expect(fromStandby.source.infoLine.hasPrefix("replica lag="))
        #expect(fromStandby.source.lagSeconds != nil)

        // A release boundary the standby has not replayed up to (here: one in the future) sends
        // the counting to the primary; a read pool that reached a primary says so.
        let early = try await replica.read(primary: primary, replayedPast: Date().addingTimeInterval(3600)) {
            try self.count($0)
        }
        guard case .primary(because: .beforeReleaseBoundary) = early.source else {
            Issue.record("expected the primary before the boundary, got \(early.source)")
            return
        }
        #expect(early.source.infoLine.hasPrefix("replica primary reason=before-release-boundary lag="))
        let onPrimary = try await ReadReplica(pool: primary, maxLag: .seconds(30), policy: .fallback, logger: logger)
            .read(primary: primary) { try self.count($0) }
        #expect(onPrimary.source == .primary(because: .notAStandby))
        await #expect(throws: ReadRefused.self) {
            _ = try await ReadReplica(pool: primary, maxLag: .seconds(30), policy: .refuse, logger: logger)
                .read(primary: primary) { try self.count($0) }
        }

        // Replay paused while the primary takes one more row: the standby has received it but
        // not applied it, so it is behind; a bound of zero sends the read to the primary, whose
        // answer has the new row.
        try pair.onStandby("SELECT pg_wal_replay_pause()")
        try pair.onPrimary("INSERT INTO registered VALUES (4)")
        try pair.waitForStandby(receivedOnly: true)
        let strict = ReadReplica(pool: standbyPool, maxLag: .zero, policy: .fallback, logger: logger)
        let behind = try await strict.read(primary: primary) { try self.count($0) }
        #expect(behind.value == 4)
        guard case .primary(because: .standbyBehind(let measured?, let bound)) = behind.source else {
            Issue.record("expected the primary because the standby is behind, got \(behind.source)")
            return
        }
        #expect(measured > .zero)
        #expect(bound == .zero)
        #expect(behind.source.infoLine.hasPrefix("replica primary reason=standby-behind lag="))
        await #expect(throws: ReadRefused.self) {
            _ = try await ReadReplica(pool: standbyPool, maxLag: .zero, policy: .refuse, logger: logger)
                .read(primary: primary) { try self.count($0) }
        }
        try pair.onStandby("SELECT pg_wal_replay_resume()")
        try pair.waitForStandby()

        // The standby stopped: the read comes from the primary, still right; or is refused.
        try pair.standby.stop(immediate: true)
        let down = try await replica.read(primary: primary) { try self.count($0) }
        #expect(down.value == 4)
        #expect(down.source == .primary(because: .standbyUnreachable))
        #expect(down.source.infoLine == "replica primary reason=standby-unreachable")
        await #expect(throws: ReadRefused.self) {
            _ = try await refusing.read(primary: primary) { try self.count($0) }
        }
    }

    @Test(
        "a write pool given host=standby,primary lands on the primary, and after a promotion reconnects to the new one")
    func writePoolFollowsThePrimary() async throws {
        let pair = try ReplicatedClusters()
        defer { pair.remove() }
        try pair.onPrimary("CREATE TABLE registered (n int)")
        try pair.waitForStandby()
        // The standby first: libpq tries the hosts in order; read-write skips the standby.
        let both =
            "host=\(pair.standby.socketDirectory),\(pair.primary.socketDirectory) port=5432 user=postgres dbname=\(pair.database)"
        let conninfo = try TargetSession.readWrite.defaulted(in: both)
        let pool = try PostgresPool(conninfo: conninfo, size: 2, logger: logger)
        defer { Task { await pool.shutdown() } }
        let first = try await pool.transaction { connection in
            try connection.execute("INSERT INTO registered VALUES (1)")
            return (connection.host, try connection.replicaStanding().isStandby)
        }
        #expect(first.0 == pair.primary.socketDirectory)
        #expect(first.1 == false)

        // Without read-write the same hosts give the standby, where a write is refused (25006).
        let anyServer = try PostgresPool(conninfo: both, size: 1, logger: logger)
        defer { Task { await anyServer.shutdown() } }
        let refused = await #expect(throws: PostgresError.self) {
            try await anyServer.transaction { try $0.execute("INSERT INTO registered VALUES (0)") }
        }
        #expect(refused?.serverError?.sqlState == "25006")

        // Failover: the standby caught up, promoted, the old primary stopped. The pool's
        // session to the old primary is dead and known to be (its shutdown warning was read on
        // lease), so it is replaced before the command: a new one goes through the string's
        // hosts and lands on the new primary. (Were it not known, the command would fail as a
        // lost connection — 451 to a client, retry safe — and the next one would reconnect.)
        try pair.waitForStandby()
        try pair.promoteStandby()
        try pair.primary.stop(immediate: true)
        var lost = 0
        var after: (String, Bool, Int)?
        while after == nil {
            do {
                after = try await pool.transaction { connection in
                    try connection.execute("INSERT INTO registered VALUES (2)")
                    return (connection.host, try connection.replicaStanding().isStandby, try self.count(connection))
                }
            } catch PostgresError.lostConnection {
                // The old primary's shutdown warned its idle session, so it is replaced on lease.
                lost += 1
                try #require(lost == 0, "a session to the stopped primary was leased as if it were alive")
            }
        }
        guard let after else { return }
        #expect(after.0 == pair.standby.socketDirectory)
        #expect(after.1 == false)
        #expect(after.2 == 2, "the row acknowledged before the failover is on the new primary")
    }
}
