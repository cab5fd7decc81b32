import Foundation
import Postgres
import TestSupport
import Testing

/// Opening statements (`runWithNext`, and every transaction's BEGIN) travel with the next
/// statement in one round trip; a transaction that sends nothing costs nothing; and the paths
/// that cannot pipeline (scripts, COPY, savepoints) send them first, so the order the program
/// wrote is the order the server runs.
@Suite("Opening statements travel with the next statement")
struct PipelineTests {
    @Test func beginTravelsWithTheFirstStatementAndTheAuditWithCommit() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text)")
            func audited(_ step: String) throws {
                try db.transaction { tx in
                    #expect(tx.isInTransaction)
                    _ = try tx.query("SELECT count(*) FROM steps")
                    try tx.runAtCommit("INSERT INTO steps VALUES (\(step))")
                }
            }
            try audited("first")  // prepares each statement once per connection, then counted:
            let before = db.roundTrips
            try audited("second")
            // BEGIN + SELECT, then INSERT + COMMIT: two round trips where one each made four
            #expect(db.roundTrips - before == 2)
            #expect(
                try db.query("SELECT step FROM steps ORDER BY step").map { try $0.decode(String.self) } == [
                    "first", "second",
                ])
            #expect(!db.isInTransaction)
        }
    }

    @Test func aTransactionThatRunsNothingSendsNothing() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let before = db.roundTrips
            try db.transaction { _ in }
            struct Undo: Error {}
            #expect(throws: Undo.self) { try db.transaction { _ in throw Undo() } }
            #expect(db.roundTrips == before)
            #expect(!db.isInTransaction)
        }
    }

    @Test func theIsolationLevelStillApplies() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let level = try db.transaction(isolation: .serializable) { tx in
                try tx.query("SELECT current_setting('transaction_isolation')")[0].decode(String.self)
            }
            #expect(level == "serializable")
        }
    }

    @Test func aStatementSentWithTheNextIsSeenByIt() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            func setAndRead(_ value: String) throws -> String {
                try db.transaction { tx in
                    try tx.runWithNext("SELECT set_config('passage.pipeline_test', \(value), true)")
                    return try tx.query("SELECT current_setting('passage.pipeline_test', true)")[0].decode(String.self)
                }
            }
            #expect(try setAndRead("on") == "on")
            let before = db.roundTrips
            #expect(try setAndRead("again") == "again")
            #expect(db.roundTrips - before == 2)  // BEGIN + set_config + SELECT; COMMIT
        }
    }

    @Test func aFailingOpeningStatementFailsTheNextAndNothingIsApplied() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text)")
            do {
                try db.transaction { tx in
                    try tx.runWithNext("SELECT 1 / \(0)")
                    try tx.execute("INSERT INTO steps VALUES (\("after"))")
                }
                Issue.record("the division by zero should have failed the transaction")
            } catch let error as PostgresError {
                #expect(error.serverError?.sqlState == "22012")
            }
            #expect(!db.isInTransaction)
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 0)
            try db.transaction { tx in try tx.execute("INSERT INTO steps VALUES (\("next"))") }
            #expect(try db.query("SELECT count(*) FROM steps")[0].decode(Int.self) == 1)
        }
    }

    @Test func scriptsCopyAndSavepointsSendTheBeginFirst() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE steps (step text)")
            // COPY as the first statement: inside the repeatable-read transaction, not before it
            let level = try db.transaction(isolation: .repeatableRead) { tx in
                try tx.copyIn("COPY steps FROM STDIN") { try $0.write("copied\n") }
                return try tx.query("SELECT current_setting('transaction_isolation')")[0].decode(String.self)
            }
            #expect(level == "repeatable read")
            // a savepoint as the first thing: rolled back alone, the outer work commits
            struct Undo: Error {}
            try db.transaction { tx in
                _ = try? tx.transaction { inner -> Void in
                    try inner.execute("INSERT INTO steps VALUES (\("undone"))")
                    throw Undo()
                }
                try tx.executeScript("INSERT INTO steps VALUES ('scripted')")
            }
            let steps = try db.query("SELECT step FROM steps ORDER BY step").map { try $0.decode(String.self) }
            #expect(steps == ["copied", "scripted"])
        }
    }
}
