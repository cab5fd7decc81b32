import Foundation
import Logging
import NIOCore
import NIOPosix
import Postgres
import TestSupport
import Testing

/// `PostgresPool.callerLoop`: a body runs on the caller's event loop only when asked from that
/// very loop; anywhere else it goes to a pool thread as always.
@Suite("Connection pool: running on the caller's event loop", .timeLimit(.minutes(1)))
struct PoolCallerLoopTests {
    /// Runs a task's jobs on one event loop, as the console runs a connection's task.
    final class LoopExecutor: TaskExecutor {
        let loop: any EventLoop
        init(_ loop: any EventLoop) { self.loop = loop }
        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    func makePool(_ label: String = #function) async throws -> PostgresPool {
        let conninfo = try await TestCluster.freshDatabase(label)
        return try PostgresPool(conninfo: conninfo, size: 1, logger: Logger(label: "test"))
    }

    @Test func aBodyRunsOnTheCallersLoopOnlyWhenAskedFromIt() async throws {
        let pool = try await makePool()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        _ = try await pool.withConnection { $0.backendPID }  // open the connection (never done on the loop)
        let asked = try await Task(executorPreference: LoopExecutor(loop)) {
            try await PostgresPool.$callerLoop.withValue(loop) {
                try await pool.withConnection { db in
                    (loop.inEventLoop, try db.query("SELECT 41 + 1")[0].decode(Int.self))
                }
            }
        }.value
        #expect(asked.0, "asked from its loop: the body runs there")
        #expect(asked.1 == 42)
        let notAsked = try await Task(executorPreference: LoopExecutor(loop)) {
            try await pool.withConnection { _ in loop.inEventLoop }
        }.value
        #expect(!notAsked, "not asked: a pool thread")
        let elsewhere = try await PostgresPool.$callerLoop.withValue(loop) {
            try await pool.withConnection { _ in loop.inEventLoop }
        }
        #expect(!elsewhere, "asked from another thread: a pool thread, never someone else's loop")
        await pool.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func onTheLoopAFailureRollsBackAndTheConnectionIsReused() async throws {
        let pool = try await makePool()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let onLoop = LoopExecutor(loop)
        try await pool.withConnection { try $0.executeScript("CREATE TABLE notes (text text)") }
        let firstPID = try await pool.withConnection { $0.backendPID }
        await #expect(throws: PostgresError.self) {
            try await Task(executorPreference: onLoop) {
                try await PostgresPool.$callerLoop.withValue(loop) {
                    try await pool.transaction { db in
                        try db.execute("INSERT INTO notes VALUES ('half')")
                        try db.execute("INSERT INTO notes VALUES (1 / 0)")
                    }
                }
            }.value
        }
        let (count, pid) = try await Task(executorPreference: onLoop) {
            try await PostgresPool.$callerLoop.withValue(loop) {
                try await pool.withConnection { db in
                    (try db.query("SELECT count(*) FROM notes")[0].decode(Int.self), db.backendPID)
                }
            }
        }.value
        #expect(count == 0, "nothing of the failed transaction is left")
        #expect(pid == firstPID, "the same healthy connection serves the next lease")
        await pool.shutdown()
        try await group.shutdownGracefully()
    }

    /// Runs `body` through the pool from a task on `loop` that is allowed to use it, and says
    /// whether the body ran on the loop.
    func onLoop<T: Sendable>(
        _ pool: PostgresPool, _ loop: any EventLoop, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> (onLoop: Bool, value: T) {
        try await Task(executorPreference: LoopExecutor(loop)) {
            try await PostgresPool.$callerLoop.withValue(loop) {
                try await pool.withConnection { db in (loop.inEventLoop, try body(db)) }
            }
        }.value
    }

    @Test func theLoopNeverOpensAConnection() async throws {
        let pool = try await makePool()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let first = try await onLoop(pool, loop) { db in try db.query("SELECT 41 + 1")[0].decode((Int).self) }
        #expect(!first.onLoop, "no connection yet: it is opened, and the body run, on a pool thread")
        #expect(first.value == 42)
        let second = try await onLoop(pool, loop) { $0.backendPID }
        #expect(second.onLoop, "a healthy idle connection: the body runs on the loop")
        await pool.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aBrokenConnectionIsReplacedOnAPoolThreadNotOnTheLoop() async throws {
        let pool = try await makePool()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        _ = try await pool.withConnection { $0.backendPID }
        let (ranOnLoop, firstPID) = try await onLoop(pool, loop) { $0.backendPID }
        #expect(ranOnLoop)
        let admin = try await pool.withConnection { db in (db.host, db.port, db.user, db.database) }
        let killer = try PostgresConnection.connect("host=\(admin.0) port=\(admin.1) user=\(admin.2) dbname=\(admin.3)")
        defer { killer.close() }
        #expect(try killer.query("SELECT pg_terminate_backend(\(firstPID))")[0].decode((Bool).self))
        for _ in 0..<500 {  // until the backend is really gone, not a guess at signal timing
            let alive = try killer.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(firstPID)")[0].decode(
                (Int).self)
            if alive == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let replaced = try await onLoop(pool, loop) { db in
            (try db.query("SELECT 41 + 1")[0].decode((Int).self), db.backendPID)
        }
        #expect(!replaced.onLoop, "the reconnect happens on a pool thread, never on the loop")
        #expect(replaced.value.0 == 42)
        #expect(replaced.value.1 != firstPID)
        let after = try await onLoop(pool, loop) { $0.backendPID }
        #expect(after.onLoop, "with a healthy connection again, the loop path is taken again")
        #expect(after.value == replaced.value.1)
        await pool.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aRetryAndItsBackOffLeaveTheLoop() async throws {
        let pool = try await makePool()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        _ = try await pool.withConnection { $0.backendPID }
        let attempts = AttemptLog()
        let value = try await Task(executorPreference: LoopExecutor(loop)) {
            try await PostgresPool.$callerLoop.withValue(loop) {
                try await pool.transaction { db in
                    if attempts.record(loop.inEventLoop) == 1 {
                        try db.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
                    }
                    return try db.query("SELECT 7")[0].decode((Int).self)
                }
            }
        }.value
        #expect(value == 7)
        #expect(attempts.onLoop == [true, false], "first attempt on the loop, the retry on a pool thread")
        await pool.shutdown()
        try await group.shutdownGracefully()
    }
}

/// Where each attempt of a transaction ran, in order.
final class AttemptLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Bool] = []
    /// Records one attempt; returns its number (1 for the first).
    func record(_ onLoop: Bool) -> Int {
        lock.lock()
        defer { lock.unlock() }
        log.append(onLoop)
        return log.count
    }
    var onLoop: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }
}
