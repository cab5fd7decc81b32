import Foundation
import Postgres
import TestSupport
import Testing

/// `runAtCommit`: statements sent with the COMMIT in one pipeline (used by the audit log, whose
/// chain lock must not wait on a client round trip). They run last and in order, their failure
/// undoes the whole transaction, and the connection stays usable.
@Suite("Statements queued for COMMIT run with it, or the transaction rolls back")
struct CommitBatchTests {
    @Test func queuedStatementsRunLastInOrder() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (n serial PRIMARY KEY, step text NOT NULL)")
            try db.transaction { tx in
                try tx.runAtCommit("INSERT INTO steps (step) VALUES (\("queued first"))")
                try tx.execute("INSERT INTO steps (step) VALUES (\("body"))")
                try tx.runAtCommit("INSERT INTO steps (step) VALUES (\("queued second"))")
                // not yet run: the body does not see them
                #expect(try tx.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 1)
            }
            let steps = try db.query("SELECT step FROM steps ORDER BY n").map { try $0.decode(String.self) }
            #expect(steps == ["body", "queued first", "queued second"])
            #expect(db.isInTransaction == false)
        }
    }

    @Test func aFailingQueuedStatementRollsEverythingBack() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text PRIMARY KEY)")
            do {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO steps VALUES (\("body"))")
                    try tx.runAtCommit("INSERT INTO steps VALUES (\("queued"))")
                    try tx.runAtCommit("INSERT INTO steps VALUES (\("queued"))")  // unique violation
                    try tx.runAtCommit("INSERT INTO steps VALUES (\("after"))")
                }
                Issue.record("the commit should have failed")
            } catch let error as PostgresError {
                #expect(error.serverError?.sqlState == "23505")
            }
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 0)
            #expect(db.isInTransaction == false)
            // the connection is still good for the next transaction
            try db.transaction { tx in try tx.runAtCommit("INSERT INTO steps VALUES (\("next"))") }
            #expect(try db.query("SELECT step FROM steps")[0].decode(String.self) == "next")
        }
    }

    @Test func aSavepointRolledBackDropsWhatItQueued() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text PRIMARY KEY)")
            struct Undo: Error {}
            try db.transaction { tx in
                try tx.runAtCommit("INSERT INTO steps VALUES (\("outer"))")
                _ = try? tx.transaction { inner -> Void in
                    try inner.runAtCommit("INSERT INTO steps VALUES (\("inner"))")
                    throw Undo()
                }
            }
            let steps = try db.query("SELECT step FROM steps").map { try $0.decode(String.self) }
            #expect(steps == ["outer"])
        }
    }

    @Test func outsideATransactionItRunsAtOnce() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text PRIMARY KEY)")
            try db.runAtCommit("INSERT INTO steps VALUES (\("now"))")
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 1)
        }
    }

    @Test func queryCommittingReturnsRowsOnceCommittedInOneRoundTrip() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (n serial PRIMARY KEY, step text UNIQUE NOT NULL)")
            func commitWith(_ step: String) throws -> Int {
                try db.transaction { tx in
                    _ = try tx.query("SELECT count(*) FROM steps")
                    try tx.runAtCommit("INSERT INTO steps (step) VALUES (\(step + " queued"))")
                    return try tx.queryCommitting("INSERT INTO steps (step) VALUES (\(step)) RETURNING n")[0].decode(
                        Int.self)
                }
            }
            _ = try commitWith("warm")  // prepares the statements
            let before = db.roundTrips
            let n = try commitWith("last")
            #expect(db.roundTrips - before == 2)  // BEGIN + SELECT; INSERT + queued + COMMIT
            let steps = try db.query("SELECT n, step FROM steps ORDER BY n").map { try $0.decode((Int, String).self) }
            #expect(steps.map(\.1) == ["warm", "warm queued", "last", "last queued"])
            #expect(steps.first { $0.1 == "last" }?.0 == n)
            #expect(!db.isInTransaction)
        }
    }

    @Test func afterQueryCommittingNothingRunsAndAFailureUndoesAll() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text PRIMARY KEY)")
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    _ = try tx.queryCommitting("INSERT INTO steps VALUES (\("committed")) RETURNING step")
                    try tx.execute("INSERT INTO steps VALUES (\("too late"))")
                }
            }
            // the committed part stays; the statement after it never ran
            #expect(try db.query("SELECT step FROM steps").map { try $0.decode(String.self) } == ["committed"])
            // a failing query takes the queued statements and the body's earlier work with it
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO steps VALUES (\("body"))")
                    try tx.runAtCommit("INSERT INTO steps VALUES (\("queued"))")
                    _ = try tx.queryCommitting("INSERT INTO steps VALUES (\("committed")) RETURNING step")  // duplicate
                }
            }
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 1)
            #expect(!db.isInTransaction)
            // in a savepoint it only runs the query: the outer transaction commits later
            try db.transaction { tx in
                try tx.transaction { inner in
                    _ = try inner.queryCommitting("INSERT INTO steps VALUES (\("nested")) RETURNING step")
                }
                try tx.execute("INSERT INTO steps VALUES (\("after"))")
            }
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 3)
        }
    }
}
