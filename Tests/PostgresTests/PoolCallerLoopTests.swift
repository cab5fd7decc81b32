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
        let asked = try await Task(executorPreference: LoopExecutor(loop)) {
            try await PostgresPool.$callerLoop.withValue(loop) {
                try await pool.withConnection { db in (loop.inEventLoop, try db.query("SELECT 41 + 1")[0].decode(Int.self, at: 0)) }
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
                try await pool.withConnection { db in (try db.query("SELECT count(*) FROM notes")[0].decode(Int.self, at: 0), db.backendPID) }
            }
        }.value
        #expect(count == 0, "nothing of the failed transaction is left")
        #expect(pid == firstPID, "the same healthy connection serves the next lease")
        await pool.shutdown()
        try await group.shutdownGracefully()
    }
}
