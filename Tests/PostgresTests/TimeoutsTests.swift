import Foundation
import Logging
import TestSupport
import Testing

@testable import Postgres

@Suite("Every connection starts with connect, statement and lock timeouts")
struct TimeoutsTests {
    func settings(of db: PostgresConnection) throws -> (statement: String, lock: String) {
        try db.query("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")[0].decode(
            (String, String).self)
    }

    @Test func aConnectionStartsWithTheStandardTimeouts() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        #expect(try settings(of: db) == ("30s", "5s"))
        let parameters = try PostgresTimeouts.standard.connectParameters(for: conninfo)
        #expect(parameters.first { $0.keyword == "connect_timeout" }?.value == "10")
    }

    @Test func aPoolGivesItsConnectionsItsOwnTimeouts() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let pool = try PostgresPool(conninfo: conninfo, size: 1, timeouts: .heavy, logger: Logger(label: "test"))
        let heavy = try await pool.withConnection { try settings(of: $0) }
        #expect(heavy == ("2min", "5s"))
        await pool.shutdown()
        let maintenance = try PostgresConnection.connect(conninfo, timeouts: .maintenance)
        defer { maintenance.close() }
        #expect(try settings(of: maintenance) == ("0", "0"), "maintenance leaves the server's default: no limit")
    }

    @Test func theConnectionStringsOwnSettingsWin() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let own = try PostgresConnectionSettings.adding(
            settings: [("statement_timeout", "7s")], to: conninfo + " connect_timeout=3")
        let db = try PostgresConnection.connect(own)
        defer { db.close() }
        #expect(try settings(of: db) == ("7s", "5s"), "the string's statement_timeout wins, the lock timeout stays")
        let parameters = try PostgresTimeouts.standard.connectParameters(for: own)
        let keywords = parameters.map(\.keyword)
        // connect_timeout before dbname: the string's own connect_timeout=3, expanded from dbname, overrides it.
        #expect(keywords.firstIndex(of: "connect_timeout")! < keywords.firstIndex(of: "dbname")!)
        #expect(parameters.last?.value == "-c statement_timeout=30000 -c lock_timeout=5000 -c statement_timeout=7s")
    }

    @Test func durationsBecomeWholeUnits() {
        let short = PostgresTimeouts(
            connect: .milliseconds(500), statement: .milliseconds(250), lock: .microseconds(10))
        #expect(short.connectSeconds == 2, "libpq's minimum")
        #expect(
            short.serverOptions == "-c statement_timeout=250 -c lock_timeout=1", "never 0, which would mean no limit")
        #expect(PostgresTimeouts(connect: .milliseconds(2500), statement: nil, lock: nil).connectSeconds == 3)
        #expect(PostgresTimeouts.maintenance.serverOptions.isEmpty)
    }
}
