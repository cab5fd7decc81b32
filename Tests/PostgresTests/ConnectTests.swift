import Foundation
import TestSupport
import Testing

@testable import Postgres

@Suite("Connecting: URL or keywords, and typed failures")
struct ConnectTests {
    /// Host/port/user of the test cluster, read from a live session.
    func clusterAddress() async throws -> (host: String, port: String, user: String, database: String) {
        let conninfo = try await TestCluster.freshDatabase()
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        return (db.host, db.port, db.user, db.database)
    }

    @Test func connectsByKeywordsAndByURL() async throws {
        let address = try await clusterAddress()
        let byKeywords = try PostgresConnection.connect(
            "host=\(address.host) port=\(address.port) user=\(address.user) dbname=\(address.database)")
        #expect(try byKeywords.query("SELECT current_database()")[0].decode(String.self) == address.database)
        let settings = try byKeywords.query(
            "SELECT current_setting('application_name'), current_setting('client_encoding')")[0]
        #expect(try settings.decode((String, String).self) == ("passage", "UTF8"))
        byKeywords.close()
        #expect(byKeywords.isHealthy == false)

        let socketDirectory = address.host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let url = "postgresql://\(address.user)@/\(address.database)?host=\(socketDirectory)&port=\(address.port)"
        let byURL = try PostgresConnection.connect(url)
        defer { byURL.close() }
        #expect(byURL.isHealthy)
        #expect(try byURL.query("SELECT current_user")[0].decode(String.self) == address.user)
    }

    @Test func missingDatabaseIsTyped() async throws {
        let address = try await clusterAddress()
        do {
            _ = try PostgresConnection.connect(
                "host=\(address.host) port=\(address.port) user=\(address.user) dbname=no_such_case_db")
            Issue.record("connecting to a missing database should fail")
        } catch let PostgresError.connectionFailed(kind, message) {
            #expect(kind == .missingDatabase)
            #expect(message.contains("no_such_case_db"))
        }
    }

    @Test func unknownRoleIsTyped() async throws {
        let address = try await clusterAddress()
        do {
            _ = try PostgresConnection.connect(
                "host=\(address.host) port=\(address.port) user=no_such_caseworker dbname=\(address.database)")
            Issue.record("connecting as a missing role should fail")
        } catch let PostgresError.connectionFailed(kind, message) {
            #expect(kind == .unknownRole)
            #expect(message.contains("no_such_caseworker"))
        }
    }

    @Test func unreachableHostIsTyped() async throws {
        for conninfo in [
            "host=/tmp/passage-no-such-socket-dir port=5432 dbname=x connect_timeout=2",
            "host=127.0.0.1 port=1 dbname=x connect_timeout=2",
        ] {
            do {
                _ = try PostgresConnection.connect(conninfo)
                Issue.record("connecting to \(conninfo) should fail")
            } catch let PostgresError.connectionFailed(kind, message) {
                #expect(kind == .unreachableHost, "\(message)")
                #expect(!message.isEmpty)
            }
        }
    }

    @Test func malformedConnectionStringIsTyped() async throws {
        for conninfo in ["host=/tmp nonsense", "postgresql://[broken", "colour=blue"] {
            do {
                _ = try PostgresConnection.connect(conninfo)
                Issue.record("\(conninfo) should be refused")
            } catch let PostgresError.connectionFailed(kind, _) {
                #expect(kind == .invalidConnectionString, "\(conninfo)")
            }
        }
    }

    @Test func failureClassificationOfLibpqMessages() {
        #expect(
            ConnectionFailureKind.classify(
                #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "x""#
            )
                == .authenticationFailed)
        #expect(ConnectionFailureKind.classify(#"FATAL:  database "x" does not exist"#) == .missingDatabase)
        #expect(
            ConnectionFailureKind.classify(#"could not translate host name "nowhere" to address"#) == .unreachableHost)
    }
}
