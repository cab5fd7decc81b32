import Foundation
import Postgres
import Testing

@Suite("Server errors arrive typed, with SQLSTATE and text")
struct ErrorTests {
    @Test func uniqueViolationIsTyped() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
            try db.execute("INSERT INTO people VALUES (\("a@example.org"))")
            do {
                try db.execute("INSERT INTO people VALUES (\("a@example.org"))")
                Issue.record("second insert should have failed")
            } catch let PostgresError.server(error) {
                #expect(error.sqlState == "23505")
                #expect(error.kind == .uniqueViolation)
                #expect(error.constraint == "people_email_key")
                #expect(error.detail?.contains("a@example.org") == true)
                #expect(error.message.contains("duplicate key"))
            }
            // The connection is still usable after a statement error.
            #expect(try db.query("SELECT 1")[0].decode(Int.self) == 1)
        }
    }

    @Test func foreignKeyAndCheckViolationsAreTyped() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript(
                """
                CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (parent_id int REFERENCES parent(id), age int CHECK (age >= 0));
                """)
            let missingParent = #expect(throws: PostgresError.self) {
                try db.execute("INSERT INTO child VALUES (\(Int32(7)), \(Int32(1)))")
            }
            #expect(missingParent?.serverError?.kind == .foreignKeyViolation)
            #expect(missingParent?.serverError?.sqlState == "23503")
            try db.execute("INSERT INTO parent VALUES (\(Int32(1)))")
            let negative = #expect(throws: PostgresError.self) {
                try db.execute("INSERT INTO child VALUES (\(Int32(1)), \(Int32(-5)))")
            }
            #expect(negative?.serverError?.kind == .checkViolation)
        }
    }

    @Test func syntaxErrorCarriesMessage() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let error = #expect(throws: PostgresError.self) { try db.query("SELEC 1") }
            #expect(error?.serverError?.sqlState == "42601")
            #expect(error?.description.contains("syntax error") == true)
        }
    }

    @Test func decodingMismatchNamesColumnAndValue() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let row = try db.query("SELECT 'abc'::text AS label")[0]
            do {
                _ = try row.decode(Int.self, named: "label")
                Issue.record("decoding text as Int should fail")
            } catch let PostgresError.decoding(column, index, expected, got) {
                #expect(column == "label")
                #expect(index == 0)
                #expect(expected == "Int")
                #expect(got.contains("abc"))
            }
            #expect(throws: PostgresError.self) { try row.decode(String.self, named: "missing") }
            #expect(throws: PostgresError.self) { try row.decode(String.self, at: 3) }
        }
    }

    @Test func unsafeIdentifierIsRefused() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE cases (id int)")
            #expect(try db.query("SELECT count(*) FROM \(unescaped: "public.cases")").count == 1)
            let error = #expect(throws: PostgresError.self) {
                try db.query("SELECT count(*) FROM \(unescaped: "cases; DROP TABLE cases")")
            }
            #expect(error?.description.contains("plain identifiers") == true)
            #expect(try db.query("SELECT count(*) FROM \(identifier: "cases")").count == 1)
            #expect(try db.query("SELECT to_regclass('cases') IS NOT NULL")[0].decode(Bool.self))
        }
    }

    @Test func nulInTextIsRejectedByServerNotTruncated() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let error = #expect(throws: PostgresError.self) { try db.query("SELECT \("a\u{0}b")") }
            #expect(error?.serverError != nil)
        }
    }

    @Test func copyThroughQueryIsRefusedAndConnectionSurvives() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            #expect(throws: PostgresError.self) { try db.query("COPY (SELECT 1) TO STDOUT") }
            let after = try db.query("SELECT 2")[0].decode(Int.self)
            #expect(after == 2)
        }
    }
}
