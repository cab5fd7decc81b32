import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// `passage user …` and the console's `USER …` run the same use cases (UserService): their
/// audit entries are the same but for who acted and from where (issue 18). Before, the command
/// line wrote `user.add` with no detail, as `cli:$USER` from `local`.
@Suite("passage user and the console's USER write the same audit entries", .serialized)
struct UserAdministrationParityTests {
    struct Entry: Equatable, Sendable {
        var actor: String
        var action: String
        var subject: String
        var source: String
        var detail: String
    }

    static func entries(_ conninfo: String, subject: String) throws -> [Entry] {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        return try connection.query(
            """
            SELECT actor, action, subject, source, detail FROM audit_log WHERE subject = \(subject) ORDER BY id
            """
        ).map { row in
            Entry(
                actor: try row.decode(String.self, at: 0), action: try row.decode(String.self, at: 1),
                subject: try row.decode(String.self, at: 2),
                source: try row.decode(String.self, at: 3), detail: try row.decode(String.self, at: 4))
        }
    }

    /// Runs `passage user <arguments>` on the live server's database, the password on standard input.
    static func passageUser(_ server: LiveServer, _ arguments: String, password: String? = nil) async throws -> String {
        let passage = try NetcatShellTests.passageBinary()
        let database = "--database-url '\(server.conninfo)' --schema-dir '\(SecurityCommandLineTests.schema)'"
        let input = password.map { "printf '%s\\n' '\($0)' | " } ?? ""
        let (status, output) = try await PythonCheck.runProgram(
            "/bin/sh", ["-c", "\(input)'\(passage)' user \(arguments) \(database)"])
        #expect(status == 0, "passage user \(arguments): \(output)")
        return output
    }

    @Test("add, role, lock: the same action, subject and detail from both; the actor is the operator, the source cli")
    func sameEntries() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"USER ADD bea caseworker "bea password 1" org=ngo-a"#).code == 250)
                #expect(try await client.request("USER ROLE bea supervisor").code == 250)
                #expect(try await client.request("USER LOCK bea").code == 250)
            }
            _ = try await Self.passageUser(
                server, "add cy --role caseworker --org ngo-a --password-stdin", password: "cy password 1")
            _ = try await Self.passageUser(server, "role cy supervisor")
            _ = try await Self.passageUser(server, "lock cy")
            let console = try Self.entries(server.conninfo, subject: "user:bea")
            let commandLine = try Self.entries(server.conninfo, subject: "user:cy")
            #expect(console.map(\.action) == ["user.add", "user.role", "user.lock"])
            #expect(console.map(\.detail) == ["role caseworker, organisation ngo-a", "role supervisor", ""])
            #expect(commandLine.map(\.action) == console.map(\.action))
            #expect(commandLine.map(\.detail) == console.map(\.detail))
            #expect(Set(console.map(\.actor)) == ["adm"] && Set(console.map(\.source)) == ["127.0.0.1"])
            #expect(
                Set(commandLine.map(\.actor)) == [SecurityCommandLineTests.operatorIdentity]
                    && Set(commandLine.map(\.source)) == ["cli"])
            // The command line lists what the console sees.
            let listed = try await Self.passageUser(server, "list")
            #expect(listed.contains("cy\tsupervisor\tngo-a\tlocked"), "\(listed)")
        }
    }
}
