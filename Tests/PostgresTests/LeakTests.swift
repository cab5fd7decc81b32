import Foundation
import Postgres
import TestSupport
import Testing

@Suite("No PGconn or PGresult is left behind")
struct LeakTests {
    @Test func failedAndClosedConnectionsReleaseTheirSockets() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let probe = try PostgresConnection.connect(conninfo)
        defer { probe.close() }
        let missing = "host=\(probe.host) port=\(probe.port) user=\(probe.user) dbname=no_such_db"
        // Warm up anything lazily allocated (resolver, SSL tables) before counting.
        _ = try? PostgresConnection.connect(missing)
        try PostgresConnection.connect(conninfo).close()
        guard let before = openFileDescriptors() else { return }
        for _ in 0..<25 {
            #expect(throws: PostgresError.self) { try PostgresConnection.connect(missing) }
            let db = try PostgresConnection.connect(conninfo)
            _ = try db.query("SELECT 1")
            db.close()
            do {
                // Dropped without close(): deinit must finish it.
                let forgotten = try PostgresConnection.connect(conninfo)
                _ = forgotten.backendPID
            }
        }
        // 75 sockets were opened above. Other suites run in parallel and open files of their
        // own, so the process-wide count is compared with slack far below a leak's size.
        if let after = openFileDescriptors() {
            #expect(after - before < 25, "open descriptors went from \(before) to \(after)")
        }
        let sessions = try probe.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        #expect(try sessions[0].decode(Int.self) == 0)
    }

    @Test func errorPathsDoNotAccumulateResults() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE t (id int PRIMARY KEY)")
            try db.execute("INSERT INTO t VALUES (\(Int32(1)))")
            for _ in 0..<2_000 {  // warm-up: allocator pools settle
                _ = try? db.execute("INSERT INTO t VALUES (\(Int32(1)))")
            }
            guard let before = residentBytes() else { return }
            // Every PGresult is at least a 2 KiB block, so 40,000 leaked ones would be ≥ 80 MiB;
            // the bound leaves room for other suites running in parallel in this process.
            for round in 0..<20_000 {
                _ = try? db.execute("INSERT INTO t VALUES (\(Int32(1)))")
                _ = try db.query("SELECT id, \(round) FROM t")
            }
            if let after = residentBytes() {
                #expect(after - before < 32 << 20, "RSS grew by \((after - before) >> 20) MiB")
            }
        }
    }
}
