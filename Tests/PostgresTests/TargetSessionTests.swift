import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("Several hosts: the write pool asks for read-write and leaves a read-only server")
struct TargetSessionTests {
    let noEnvironment: [String: String] = [:]

    @Test func readWriteIsAddedUnlessTheOperatorChoseOne() throws {
        let rw = TargetSession.readWrite
        #expect(
            try rw.defaulted(in: "host=/a,/b port=5432 dbname=passage", environment: noEnvironment)
                == "host=/a,/b port=5432 dbname=passage target_session_attrs=read-write")
        #expect(
            try rw.defaulted(in: "postgresql://p@h1:5432,h2:5433/passage", environment: noEnvironment)
                == "postgresql://p@h1:5432,h2:5433/passage?target_session_attrs=read-write")
        #expect(
            try rw.defaulted(in: "postgresql://h1,h2/passage?sslmode=require", environment: noEnvironment)
                == "postgresql://h1,h2/passage?sslmode=require&target_session_attrs=read-write")
        #expect(
            try rw.defaulted(in: "passage", environment: noEnvironment)
                == "dbname='passage' target_session_attrs=read-write")
        // The operator's own choice wins: in the string, or for every libpq program.
        let own = "host=/a,/b dbname=passage target_session_attrs=any"
        #expect(try rw.defaulted(in: own, environment: noEnvironment) == own)
        let ownURL = "postgresql://h1,h2/passage?target_session_attrs=primary"
        #expect(try rw.defaulted(in: ownURL, environment: noEnvironment) == ownURL)
        #expect(
            try rw.defaulted(in: "host=/a dbname=passage", environment: ["PGTARGETSESSIONATTRS": "any"])
                == "host=/a dbname=passage")
        #expect(throws: PostgresError.self) { try rw.defaulted(in: "host='unterminated", environment: noEnvironment) }
    }

    @Test func theDefaultedStringStillConnects() async throws {
        let conninfo = try TargetSession.readWrite.defaulted(in: try await TestCluster.freshDatabase())
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        #expect(try connection.query("SELECT current_setting('transaction_read_only')")[0].decode(String.self) == "off")
        #expect(try connection.replicaStanding() == ReplicaStanding(isStandby: false, lag: .zero))
    }

    /// A session whose server turned read-only (a demoted primary answers 25006 to a write) is
    /// not given back to the pool: the next lease opens a new session, which a multi-host
    /// string with read-write sends to the primary of the moment.
    @Test func aSessionThatMetAReadOnlyServerIsDiscarded() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let pool = try PostgresPool(conninfo: conninfo, size: 1, logger: Logger(label: "test"))
        defer { Task { await pool.shutdown() } }
        try await pool.withConnection { try $0.execute("CREATE TABLE written (n int)") }
        let before = try await pool.withConnection { $0.backendPID }
        // Stands in for the demoted primary: this session now refuses every write with 25006.
        try await pool.withConnection { try $0.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY") }
        let refused = await #expect(throws: PostgresError.self) {
            try await pool.transaction { try $0.execute("INSERT INTO written VALUES (1)") }
        }
        #expect(refused?.serverError?.sqlState == "25006")
        let after = try await pool.withConnection { $0.backendPID }
        #expect(after != before)
        // The new session writes.
        try await pool.transaction { try $0.execute("INSERT INTO written VALUES (2)") }
        #expect(try await pool.withConnection { try $0.query("SELECT count(*) FROM written")[0].decode(Int.self) } == 1)
    }
}
