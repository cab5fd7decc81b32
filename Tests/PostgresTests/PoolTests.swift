import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("Connection pool: bounded, fair, self-healing")
struct PoolTests {
    func makePool(size: Int, timeout: Duration = .seconds(30), _ label: String = #function) async throws -> PostgresPool
    {
        let conninfo = try await TestCluster.freshDatabase(label)
        return try PostgresPool(conninfo: conninfo, size: size, acquireTimeout: timeout, logger: Logger(label: "test"))
    }

    @Test func sixtyFourTasksShareFourConnections() async throws {
        let pool = try await makePool(size: 4)
        let inUse = Counter()
        let peak = PeakTracker()
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for task in 0..<64 {
                group.addTask {
                    try await pool.withConnection { db in
                        peak.enter()
                        defer { peak.leave() }
                        inUse.increment()
                        let row = try db.query("SELECT pg_backend_pid(), \(task), pg_sleep(0.005)")[0]
                        let (pid, echoed, _) = try row.decode((Int32, Int, String?).self)
                        #expect(echoed == task)
                        return pid
                    }
                }
            }
            var all: [Int32] = []
            for try await pid in group { all.append(pid) }
            return all
        }
        #expect(pids.count == 64)
        #expect(inUse.current == 64)
        #expect(Set(pids).count <= 4)
        #expect(peak.maximum <= 4)
        await pool.shutdown()
    }

    @Test func waitingPastTheTimeoutFailsClearly() async throws {
        let pool = try await makePool(size: 1, timeout: .milliseconds(200))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection { _ in
                holding.signal()
                release.wait()  // a pool thread, where blocking is allowed
            }
        }
        await Task.detached { holding.wait() }.value
        do {
            try await pool.withConnection { _ in }
            Issue.record("the second lease should have timed out")
        } catch let error as PostgresError {
            guard case .poolTimeout(let waited, let size) = error else {
                Issue.record("expected poolTimeout, got \(error)")
                return
            }
            #expect(waited >= .milliseconds(200))
            #expect(size == 1)
            #expect(error.description.contains("timed out"))
        }
        release.signal()
        try await holder.value
        // After the holder is done, the pool works again.
        #expect(try await pool.withConnection { try $0.query("SELECT 1")[0].decode(Int.self) } == 1)
        await pool.shutdown()
    }

    @Test func terminatedConnectionIsReplaced() async throws {
        let pool = try await makePool(size: 1)
        let firstPID = try await pool.withConnection { $0.backendPID }
        let admin = try await pool.withConnection { db in (db.host, db.port, db.user, db.database) }
        let killer = try PostgresConnection.connect(
            "host=\(admin.0) port=\(admin.1) user=\(admin.2) dbname=\(admin.3)")
        defer { killer.close() }
        #expect(try killer.query("SELECT pg_terminate_backend(\(firstPID))")[0].decode(Bool.self))
        // Wait until the backend is really gone, so the test does not depend on signal timing.
        for _ in 0..<500 {
            let alive = try killer.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(firstPID)")[0]
                .decode(Int.self)
            if alive == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let (answer, secondPID) = try await pool.withConnection { db in
            (try db.query("SELECT 41 + 1")[0].decode(Int.self), db.backendPID)
        }
        #expect(answer == 42)
        #expect(secondPID != firstPID)
        await pool.shutdown()
    }

    @Test func connectionLostDuringBodyIsTypedAndDiscarded() async throws {
        let pool = try await makePool(size: 1)
        let firstPID = try await pool.withConnection { $0.backendPID }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { db in
                try db.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
        }
        guard case .lostConnection = error else {
            Issue.record("expected lostConnection, got \(String(describing: error))")
            return
        }
        let secondPID = try await pool.withConnection { db in
            _ = try db.query("SELECT 1")
            return db.backendPID
        }
        #expect(secondPID != firstPID)
        await pool.shutdown()
    }

    @Test func transactionLeftOpenIsRolledBackBeforeReuse() async throws {
        let pool = try await makePool(size: 1)
        try await pool.withConnection { db in
            try db.executeScript("CREATE TABLE cases (ref text)")
            try db.executeScript("BEGIN; INSERT INTO cases VALUES ('left open')")
        }
        let (count, inTransaction) = try await pool.withConnection { db in
            (try db.query("SELECT count(*) FROM cases")[0].decode(Int.self), db.isInTransaction)
        }
        #expect(count == 0)
        #expect(inTransaction == false)
        await pool.shutdown()
    }

    @Test func shutdownFailsLaterLeasesAndWaiters() async throws {
        let pool = try await makePool(size: 1)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
        }
        await Task.detached { holding.wait() }.value
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        try await Task.sleep(for: .milliseconds(50))  // let the waiter queue (not asserted on)
        let shutdown = Task { await pool.shutdown() }
        let waiterResult = await waiter.result
        if case .failure(let error as PostgresError) = waiterResult, case .poolClosed = error {
        } else {
            Issue.record("a waiting lease should fail with poolClosed, got \(waiterResult)")
        }
        release.signal()
        try await holder.value
        await shutdown.value
        await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let pool = try await makePool(size: 1, timeout: .seconds(600))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
        }
        await Task.detached { holding.wait() }.value
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        // Without cancellation support this would wait the full 600 s timeout.
        let outcome = await waiter.result
        guard case .failure(let error) = outcome, error is CancellationError else {
            Issue.record("a cancelled waiter should end with CancellationError, got \(outcome)")
            release.signal()
            return
        }
        release.signal()
        try await holder.value
        #expect(try await pool.withConnection { _ in 2 } == 2)
        await pool.shutdown()
    }

    @Test func invalidSettingsAreRefused() {
        let logger = Logger(label: "test")
        #expect(throws: PostgresError.self) {
            try PostgresPool(conninfo: "host=/tmp", size: 0, logger: logger)
        }
        #expect(throws: PostgresError.self) {
            try PostgresPool(conninfo: "host=/tmp", size: 2, acquireTimeout: .zero, logger: logger)
        }
        #expect(throws: PostgresError.self) {
            try PostgresPool(conninfo: "host=/tmp nonsense", size: 2, logger: logger)
        }
    }

    @Test func failedConnectFreesTheSlot() async throws {
        let pool = try PostgresPool(
            conninfo: "host=/tmp/passage-no-such-socket-dir dbname=x", size: 1,
            acquireTimeout: .seconds(5), logger: Logger(label: "test"))
        for _ in 0..<3 {
            let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
            guard case .connectionFailed = error else {
                Issue.record("expected connectionFailed, got \(String(describing: error))")
                continue
            }
        }
        await pool.shutdown()
    }
}

/// Tracks how many bodies run at once.
final class PeakTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var peak = 0
    func enter() {
        lock.lock()
        current += 1
        peak = max(peak, current)
        lock.unlock()
    }
    func leave() {
        lock.lock()
        current -= 1
        lock.unlock()
    }
    var maximum: Int {
        lock.lock()
        defer { lock.unlock() }
        return peak
    }
}
