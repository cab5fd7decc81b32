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
                #expect(try tx.query("SELECT count(*) FROM steps")[0].decode(Int.self, at: 0) == 1)
            }
            let steps = try db.query("SELECT step FROM steps ORDER BY n").map { try $0.decode(String.self, at: 0) }
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
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self, at: 0) == 0)
            #expect(db.isInTransaction == false)
            // the connection is still good for the next transaction
            try db.transaction { tx in try tx.runAtCommit("INSERT INTO steps VALUES (\("next"))") }
            #expect(try db.query("SELECT step FROM steps")[0].decode(String.self, at: 0) == "next")
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
            let steps = try db.query("SELECT step FROM steps").map { try $0.decode(String.self, at: 0) }
            #expect(steps == ["outer"])
        }
    }

    @Test func outsideATransactionItRunsAtOnce() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text PRIMARY KEY)")
            try db.runAtCommit("INSERT INTO steps VALUES (\("now"))")
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self, at: 0) == 1)
        }
    }
}
