import EmbeddedPostgres
import Foundation
import Logging
import PassageConsole
import PassageCore
import PassageStore
import Postgres
import Testing
import TestSupport

@Suite("Database outage")
struct DatabaseOutageTests {
    @Test("with PostgreSQL stopped commands get 451, the server stays up, and it serves again once the database returns")
    func outageAndRecovery() async throws {
        let directory = "/tmp/passage-outage-\(getpid())"
        var quiet = Logger(label: "test.outage")
        quiet.logLevel = .critical
        let cluster = EmbeddedCluster(directory: directory, installation: try PostgresInstallation.locate(), logger: quiet)
        try? FileManager.default.removeItem(atPath: directory)
        try await offThePool { try cluster.start() }
        defer {
            try? cluster.stop(immediate: true)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try cluster.createDatabase("passage")
        let conninfo = cluster.connectionString(database: "passage")
        try MigrationRunner(migrations: try MigrationSet.load(from: MigratedDatabase.schemaDirectory), logger: quiet).run(conninfo: conninfo)
        let pool = try PostgresPool(conninfo: conninfo, size: 2, acquireTimeout: .seconds(3), logger: quiet)
        try await pool.transaction { connection in
            _ = try UserStore().add(name: "cw", role: .caseworker, organisation: 1, password: "outage-password", on: connection)
        }
        let server = try await ConsoleServer.bind(configuration: ConsoleConfiguration(port: 0),
                                                  commands: ConsoleCommands.table(PassageServices.make(pool: pool, personalDataKey: try PIIKey(secret: String(repeating: "o", count: 40)))), logger: quiet)
        let running = Task { try await server.run() }

        try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
            #expect(try await client.request("AUTH cw outage-password").code == 250)
            #expect(try await client.request(#"CASE NEW {"ref":"before","current_country":"DE"}"#).code == 250)

            try await offThePool { try cluster.stop(immediate: true) }
            #expect(try await client.request("CASE LIST").code == 451)
            #expect(try await client.request(#"CASE NEW {"ref":"during","current_country":"DE"}"#).code == 451)
            #expect(try await client.request("PING").code == 250)   // the server itself is fine

            try await offThePool { try cluster.start() }
            var recovered = false
            for _ in 0..<60 where !recovered {
                recovered = try await client.request("CASE LIST").code == 250
                if !recovered { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered)
            let listed = try await client.request("CASE LIST")
            // The case acknowledged before the outage is there; the one refused during it is not.
            #expect(listed.data.contains { $0.contains("before") })
            #expect(!listed.data.contains { $0.contains("during") })
        }
        server.shutdown()
        _ = await running.result
        await pool.shutdown()
    }
}
