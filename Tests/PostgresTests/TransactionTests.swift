import Foundation
import Logging
import Postgres
import TestSupport
import Testing

struct CaseworkerAbort: Error {}

@Suite("Transactions commit or leave nothing behind")
struct TransactionTests {
    @Test func throwingBodyLeavesNoRow() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (ref text PRIMARY KEY)")
            #expect(throws: CaseworkerAbort.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO cases VALUES (\("C-1"))")
                    throw CaseworkerAbort()
                }
            }
            #expect(try db.query("SELECT count(*) FROM cases")[0].decode(Int.self) == 0)
            #expect(db.isInTransaction == false)
        }
    }

    @Test func successfulBodyCommitsAndReturnsValue() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (ref text PRIMARY KEY)")
            let inserted = try db.transaction(isolation: .serializable) { tx in
                try tx.execute("INSERT INTO cases VALUES (\("C-1")), (\("C-2"))")
            }
            #expect(inserted == 2)
            #expect(try db.query("SELECT count(*) FROM cases")[0].decode(Int.self) == 2)
        }
    }

    @Test func nestedFailureUndoesOnlyInnerPart() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (ref text PRIMARY KEY)")
            try db.transaction { tx in
                try tx.execute("INSERT INTO cases VALUES (\("outer"))")
                _ = try? tx.transaction { inner in
                    try inner.execute("INSERT INTO cases VALUES (\("inner"))")
                    try inner.execute("INSERT INTO cases VALUES (\("outer"))")  // unique violation
                }
            }
            let refs = try db.query("SELECT ref FROM cases ORDER BY ref").map { try $0.decode(String.self) }
            #expect(refs == ["outer"])
        }
    }

    @Test func swallowedStatementErrorIsNotReportedAsCommit() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (ref text PRIMARY KEY)")
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO cases VALUES (\("C-1"))")
                    _ = try? tx.execute("INSERT INTO cases VALUES (\("C-1"))")
                }
            }
            #expect(try db.query("SELECT count(*) FROM cases")[0].decode(Int.self) == 0)
        }
    }

    @Test func poolRetriesSerializationFailures() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let pool = try PostgresPool(
            conninfo: conninfo, size: 2, acquireTimeout: .seconds(30), logger: Logger(label: "test"))
        let attempts = Counter()
        let result = try await pool.transaction(isolation: .serializable, retries: 3) { tx in
            let attempt = attempts.increment()
            if attempt < 3 {
                // A genuine server error with SQLSTATE 40001, as a conflicting transaction gives.
                try tx.executeScript("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
            }
            return try tx.query("SELECT current_setting('transaction_isolation')")[0].decode(String.self)
        }
        #expect(result == "serializable")
        #expect(attempts.current == 3)

        let stubborn = Counter()
        let error = await #expect(throws: PostgresError.self) {
            try await pool.transaction(retries: 2) { tx in
                stubborn.increment()
                try tx.executeScript("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$")
            }
        }
        #expect(error?.serverError?.kind == .deadlock)
        #expect(stubborn.current == 3)

        let other = Counter()
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { tx in
                other.increment()
                try tx.executeScript("SELECT 1/0")
            }
        }
        #expect(other.current == 1)  // not retryable: tried once
        await pool.shutdown()
    }

    @Test func realSerializationConflictIsRetriedToSuccess() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let setup = try PostgresConnection.connect(conninfo)
        try setup.executeScript("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)")
        let pool = try PostgresPool(
            conninfo: conninfo, size: 4, acquireTimeout: .seconds(30), logger: Logger(label: "test"))
        // Read-modify-write under SERIALIZABLE: concurrent increments conflict with 40001 and
        // must be retried; with retries every increment lands exactly once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.transaction(isolation: .serializable, retries: 50) { tx in
                        let n = try tx.query("SELECT n FROM counter")[0].decode(Int32.self)
                        try tx.execute("UPDATE counter SET n = \(n + 1)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try setup.query("SELECT n FROM counter")[0].decode(Int.self) == 8)
        setup.close()
        await pool.shutdown()
    }
}
