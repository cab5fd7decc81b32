import Foundation
import Postgres
import Testing

struct ProducerGaveUp: Error {}

@Suite("COPY streams both ways")
struct CopyTests {
    @Test func copyOutOf200kRowsStreamsInBoundedChunks() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            let payload = 500
            let rowCount = 200_000
            var chunks = 0
            var bytes = 0
            var largestChunk = 0
            var newlines = 0
            let before = residentBytes()
            let copied = try db.copyOut(
                "COPY (SELECT g, repeat('x', \(payload)) FROM generate_series(1, \(rowCount)) g) TO STDOUT"
            ) { chunk in
                chunks += 1
                bytes += chunk.count
                largestChunk = max(largestChunk, chunk.count)
                newlines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            }
            let after = residentBytes()
            #expect(copied == rowCount)
            #expect(newlines == rowCount)
            // Every digit of 1…200000 plus tab, payload and newline per row.
            let digits = (1...rowCount).reduce(0) { $0 + String($1).count }
            #expect(bytes == digits + rowCount * (payload + 2))
            // The layer hands over row-sized chunks, never an accumulated buffer.
            #expect(chunks == rowCount)
            #expect(largestChunk <= payload + 16)
            // ~100 MB went through; the process must not have grown by anything close to that.
            if let before, let after {
                #expect(after - before < 40 << 20, "RSS grew by \((after - before) >> 20) MiB")
            }
            #expect(try db.query("SELECT 1")[0].decode(Int.self) == 1)
        }
    }

    @Test func consumerErrorIsRethrownAndConnectionStaysUsable() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            var seen = 0
            #expect(throws: ProducerGaveUp.self) {
                try db.copyOut("COPY (SELECT generate_series(1, 1000)) TO STDOUT") { _ in
                    seen += 1
                    if seen == 10 { throw ProducerGaveUp() }
                }
            }
            #expect(seen == 10)
            let after = try db.query("SELECT 7")[0].decode(Int.self)
            #expect(after == 7)
        }
    }

    @Test func copyInLoadsRowsVerbatim() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE people (id int, name text)")
            let copied = try db.copyIn("COPY people (id, name) FROM STDIN") { writer in
                for id in 1...1000 {
                    try writer.write("\(id)\tperson \(id)\n")
                }
                // COPY text format escapes: \t tab, \\ backslash, \N NULL.
                try writer.write("1001\tZoë\\twith tab and \\\\ backslash 😀\n")
                try writer.write([UInt8]("1002\t\\N\n".utf8))
            }
            #expect(copied == 1002)
            let special = try db.query("SELECT name FROM people WHERE id = \(Int32(1001))")[0].decode(String.self)
            #expect(special == "Zoë\twith tab and \\ backslash 😀")
            #expect(try db.query("SELECT name FROM people WHERE id = \(Int32(1002))")[0].decode(String?.self) == nil)
        }
    }

    @Test func failingProducerAbortsTheCopy() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE people (id int)")
            #expect(throws: ProducerGaveUp.self) {
                try db.copyIn("COPY people FROM STDIN") { writer in
                    try writer.write("1\n2\n")
                    throw ProducerGaveUp()
                }
            }
            #expect(try db.query("SELECT count(*) FROM people")[0].decode(Int.self) == 0)
        }
    }

    @Test func badCopyDataIsAServerError() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript("CREATE TABLE people (id int)")
            let error = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY people FROM STDIN") { try $0.write("not a number\n") }
            }
            #expect(error?.serverError?.sqlState == "22P02")
            #expect(throws: PostgresError.self) {
                try db.copyOut("SELECT 1") { _ in }
            }
            #expect(try db.query("SELECT 3")[0].decode(Int.self) == 3)
        }
    }
}
