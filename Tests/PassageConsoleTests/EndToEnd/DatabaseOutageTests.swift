import EmbeddedPostgres
import Foundation
import Logging
import PassageConsole
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

@Suite("Database outage")
struct DatabaseOutageTests {
    @Test(
        "with PostgreSQL stopped commands and HEALTH get 451, PING 250, and it serves again once the database returns")
    func outageAndRecovery() async throws {
        let directory = "/tmp/passage-outage-\(getpid())"
        var quiet = Logger(label: "test.outage")
        quiet.logLevel = .critical
        let cluster = EmbeddedCluster(
            directory: directory, installation: try PostgresInstallation.locate(), logger: quiet)
        try? FileManager.default.removeItem(atPath: directory)
        try await offThePool { try cluster.start() }
        defer {
            try? cluster.stop(immediate: true)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try cluster.createDatabase("passage")
        let conninfo = cluster.connectionString(database: "passage")
        try MigrationRunner(migrations: try MigrationSet.load(from: MigratedDatabase.schemaDirectory), logger: quiet)
            .run(conninfo: conninfo)
        let pool = try PostgresPool(conninfo: conninfo, size: 2, acquireTimeout: .seconds(3), logger: quiet)
        try await pool.transaction { connection in
            _ = try UserStore().add(
                name: "cw", role: .caseworker, organisation: 1, password: "outage-password", on: connection)
        }
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0),
            commands: ConsoleCommands.table(
                .onStore(StoreSetup(pool: pool, personalDataKey: try PIIKey(secret: String(repeating: "o", count: 40))))
            ),
            logger: quiet)
        let running = Task { try await server.run() }

        try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
            #expect(try await client.request("AUTH cw outage-password").code == 250)
            #expect(try await client.request(#"CASE NEW {"ref":"before","current_country":"DE"}"#).code == 250)
            let ready = try await client.request("HEALTH")
            #expect(ready.code == 250)
            #expect(ready.info.first == "database ok")
            #expect(ready.text == "ready")

            try await offThePool { try cluster.stop(immediate: true) }
            #expect(try await client.request("CASE LIST").code == 451)
            #expect(try await client.request(#"CASE NEW {"ref":"during","current_country":"DE"}"#).code == 451)
            #expect(try await client.request("PING").code == 250)  // the server itself is fine
            // HEALTH says what PING does not: not ready, at once (a down database is not waited for).
            let down = try await client.request("HEALTH")
            #expect(down.code == 451)
            #expect(down.info == ["database fail (unreachable)", "migrations fail (not checked)"])
            #expect(down.text == "not ready")

            try await offThePool { try cluster.start() }
            var recovered = false
            for _ in 0..<60 where !recovered {
                recovered = try await client.request("CASE LIST").code == 250
                if !recovered { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered)
            #expect(try await client.request("HEALTH").code == 250)
            let listed = try await client.request("CASE LIST")
            // The case acknowledged before the outage is there; the one refused during it is not.
            #expect(listed.data.contains { $0.contains("before") })
            #expect(!listed.data.contains { $0.contains("during") })
        }
        server.shutdown()
        _ = await running.result
        await pool.shutdown()
    }

    @Test(
        "every backend terminated repeatedly under load: only 250 or 451, acknowledged cases exist once, no connection leaks"
    )
    func backendsTerminatedUnderLoad() async throws {
        let clients = 8
        let perClient = 40
        let poolSize = 4  // LiveServer's pool
        try await LiveServer.with { server in
            let database = try await offThePool { () throws -> String in
                let db = try PostgresConnection.connect(server.conninfo)
                defer { db.close() }
                return try db.query("SELECT current_database()::text")[0].decode(String.self, at: 0)
            }
            let load = Task {
                try await withThrowingTaskGroup(of: [(ref: String, code: Int)].self) { group in
                    for client in 0..<clients {
                        group.addTask {
                            try await ConsoleClient.withConnection(port: server.port) { console in
                                // Signing in needs the database too: 451 there is retried like any other.
                                var signedIn = false
                                for _ in 0..<100 where !signedIn {
                                    let code = try await console.request("AUTH cw \(LiveServer.password("cw"))").code
                                    #expect(code == 250 || code == 451)
                                    signedIn = code == 250
                                }
                                #expect(signedIn)
                                var outcomes: [(ref: String, code: Int)] = []
                                for index in 0..<perClient {
                                    let ref = "load-\(client)-\(index)"
                                    let reply = try await console.request(
                                        #"CASE NEW {"ref":"\#(ref)","current_country":"DE"}"#)
                                    outcomes.append((ref, reply.code))
                                    #expect(try await console.request("PING").code == 250)
                                }
                                return outcomes
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            // Terminate every backend of the server's database, again and again, while the load runs.
            let conninfo = server.conninfo
            let killer = Task { () throws -> Int in
                var terminations = 0
                while !Task.isCancelled {
                    terminations += try await offThePool {
                        let db = try PostgresConnection.connect(conninfo)
                        defer { db.close() }
                        return try db.query(
                            """
                            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))::int FROM pg_stat_activity
                             WHERE datname = \(database) AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                            """)[0].decode(Int.self, at: 0)
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return terminations
            }
            let outcomes = try await load.value
            killer.cancel()
            #expect(try await killer.value > 0)
            #expect(outcomes.allSatisfy { $0.code == 250 || $0.code == 451 }, "\(Set(outcomes.map(\.code)))")
            // Every acknowledged case is there exactly once; a 451 one at most once (its commit
            // may have happened before its connection died) — and a retry with the same ref says so.
            let stored = try await DatabaseSnapshot.with(server.conninfo) { db in
                try db.query("SELECT ref, count(*)::int FROM cases GROUP BY ref").map {
                    (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1))
                }
            }
            let counts = Dictionary(stored, uniquingKeysWith: +)
            #expect(counts.values.allSatisfy { $0 == 1 })
            for outcome in outcomes where outcome.code == 250 {
                #expect(counts[outcome.ref] == 1, "acknowledged \(outcome.ref) is missing")
            }
            let unacknowledged = outcomes.filter { $0.code == 451 }
            try await server.session(as: "cw") { (console: ConsoleClient) async throws -> Void in
                for outcome in unacknowledged {
                    let retry = try await console.request(#"CASE NEW {"ref":"\#(outcome.ref)","current_country":"DE"}"#)
                        .code
                    #expect(retry == 250 || retry == 551, "retry of \(outcome.ref) → \(retry)")
                }
            }
            let afterRetries = try await DatabaseSnapshot.with(server.conninfo) { db throws -> [Int] in
                let row = try db.query("SELECT count(*)::int, count(DISTINCT ref)::int FROM cases")[0]
                return [try row.decode(Int.self, at: 0), try row.decode(Int.self, at: 1)]
            }
            #expect(afterRetries == [outcomes.count, outcomes.count])
            // No leaked connections: the server holds at most its pool's worth of backends.
            let backends = try await DatabaseSnapshot.with(server.conninfo) { db in
                try db.query(
                    """
                    SELECT count(*)::int FROM pg_stat_activity WHERE datname = \(database) AND pid <> pg_backend_pid()
                       AND backend_type = 'client backend'
                    """)[0].decode(Int.self, at: 0)
            }
            #expect(backends <= poolSize, "\(backends) backends for a pool of \(poolSize)")
        }
    }
}
