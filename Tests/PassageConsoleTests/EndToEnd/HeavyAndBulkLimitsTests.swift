import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import PassageConsole
@testable import PassageServices

/// Item 11 and the bulk-read part of item 12 of the security review (Docs/security.md "11. Heavy
/// queries", "12b. Bulk-read rate limit"): heavy queries capped per user, run on connections
/// with a statement timeout, and bulk reads limited to a number of rows a minute per user.
@Suite("Heavy queries and bulk reads: limits per user")
struct HeavyAndBulkLimitsTests {
    /// A clock the test moves by hand: the bucket refills only when the test says time passed.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 = $0.advanced(by: duration) } }
    }

    /// Waits (boundedly) until `gate` admits `count` queries.
    static func waitUntilRunning(_ gate: HeavyQueryLimit, _ count: Int) async throws {
        for _ in 0..<3_000 where gate.runningCount < count { try await Task.sleep(for: .milliseconds(10)) }
        #expect(gate.runningCount == count, "the heavy queries never started")
    }

    @Test("the gate: one heavy query per user, a server-wide total, 452 beyond either, released after")
    func gateCounts() throws {
        let gate = HeavyQueryLimit(perUser: 1, total: 2)
        try gate.admit("an")
        #expect(throws: ServiceError.self) { try gate.admit("an") }
        try gate.admit("pol")
        do {
            try gate.admit("third")
            Issue.record("a third query passed a total of 2")
        } catch {
            let reply = ConsoleError(error)
            #expect(reply.code == 452 && reply.message.contains("the server is running its 2"), "\(error)")
        }
        gate.release("an")
        try gate.admit("an")
        #expect(gate.runningCount == 2)
    }

    @Test("a second STATS of the same user while the first runs gets 452 at once; another user's runs beside it")
    func secondHeavyQueryOfAUserRefused() async throws {
        let gate = HeavyQueryLimit(perUser: 1, total: 4)
        try await LiveServer.with(heavyQueries: gate) { server in
            // Holding `cases` keeps the first queries running (waiting for the lock) as long as the test needs.
            let holder = try PostgresConnection.connect(server.conninfo)
            defer { holder.close() }
            try holder.executeScript("BEGIN; LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
            let first = Task { try await server.session(as: "an") { try await $0.request("STATS by=category") } }
            let otherUser = Task { try await server.session(as: "pol") { try await $0.request("STATS by=sex") } }
            try await Self.waitUntilRunning(gate, 2)
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                let second = try await client.request("GAPS unmet")
                #expect(
                    second.code == 452 && second.text.contains("already have 1 STATS or GAPS running"), "\(second.text)"
                )
            }
            try holder.executeScript("ROLLBACK")
            #expect(try await first.value.code == 250)
            #expect(try await otherUser.value.code == 250)
            #expect(gate.runningCount == 0)
            // Once the first has answered, the same user may ask again.
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("STATS by=category").code == 250)
            }
        }
    }

    @Test("a statement past the pool's statement_timeout is stopped by the database: 452 saying so; a lock wait: 451")
    func statementAndLockTimeouts() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        let timed = try PostgresConnectionSettings.adding(
            settings: [("statement_timeout", "300ms"), ("lock_timeout", "200ms")], to: conninfo)
        var logger = Logger(label: "test.timeouts")
        logger.logLevel = .warning
        let pool = try PostgresPool(conninfo: timed, size: 1, logger: logger)
        // The services' store work, as every use case runs it; its refusals as the console replies them.
        let store = StoreWork(pool: pool)
        let settings = try await store.transaction(nil) { connection -> [String] in
            let row = try connection.query(
                "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")[0]
            return [try row.decode(String.self, at: 0), try row.decode(String.self, at: 1)]
        }
        #expect(settings == ["300ms", "200ms"])
        do {
            _ = try await store.transaction(nil) { try $0.query("SELECT pg_sleep(30)").count }
            Issue.record("pg_sleep(30) ran to its end")
        } catch {
            let error = ConsoleError(error)
            #expect(error.code == 452 && error.message.contains("statement time limit"), "\(error)")
        }
        let holder = try PostgresConnection.connect(conninfo)
        defer { holder.close() }
        try holder.executeScript("BEGIN; LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        do {
            _ = try await store.transaction(nil) { try $0.query("SELECT count(*) FROM cases").count }
            Issue.record("read a locked table")
        } catch {
            let error = ConsoleError(error)
            #expect(error.code == 451 && error.message.contains("waited too long for a lock"), "\(error)")
        }
        try holder.executeScript("ROLLBACK")
        await pool.shutdown()
    }

    @Test("server settings join what a connection string already sets, in keyword and URL form")
    func connectionSettingsMerge() throws {
        let keyword = try PostgresConnectionSettings.adding(
            settings: [("statement_timeout", "30s")],
            to: "host=/tmp dbname=passage options='-c work_mem=8MB'")
        #expect(
            keyword.contains("dbname='passage'")
                && keyword.contains("options='-c work_mem=8MB -c statement_timeout=30s'"), "\(keyword)")
        let url = try PostgresConnectionSettings.adding(
            settings: [("lock_timeout", "5s")], to: "postgresql://u@localhost:5433/passage")
        #expect(url.contains("port='5433'") && url.contains("options='-c lock_timeout=5s'"), "\(url)")
        #expect(throws: PostgresError.self) {
            try PostgresConnectionSettings.adding(settings: [("statement_timeout", "1s; DROP")], to: "dbname=passage")
        }
    }

    @Test(
        "bulk reads: a user's rows a minute are capped with 452 and the wait; others are unaffected; the bucket refills"
    )
    func bulkReadRateLimit() async throws {
        let clock = ManualClock()
        let limit = BulkReadLimit(rowsPerMinute: 6, now: { clock.now })
        try await LiveServer.with(bulkReads: limit) { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                for index in 0..<3 {
                    #expect(
                        try await client.request(#"CASE NEW {"ref":"bulk-\#(index)","current_country":"DE"}"#).code
                            == 250)
                }
                // 6 tokens: 3 rows + 1 leaves 2; the next call is admitted and overdraws to −2.
                #expect(try await client.request("CASE LIST").code == 250)
                #expect(try await client.request("CASE LIST").code == 250)
                let refused = try await client.request("CASE LIST")
                #expect(
                    refused.code == 452 && refused.text.contains("bulk-read limit: 6 rows a minute"), "\(refused.text)")
                #expect(try await client.request("REFERRAL LIST").code == 452)
                #expect(try await client.request("PERSON SHOW 1").code == 452)
                // Casework that is not a bulk read goes on.
                #expect(try await client.request(#"CASE NEW {"ref":"bulk-after","current_country":"DE"}"#).code == 250)
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE LIST").code == 250)
            }
            clock.advance(by: .seconds(60))
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("CASE LIST").code == 250)
            }
        }
    }
}
