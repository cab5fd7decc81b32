import Foundation
import PassageConsole
import PassageStore
import Postgres
import TestSupport
import Testing

/// Issue 16, item 2: a lock, a password change, a role change and a removal end the user's open
/// sessions at once — made in the console, or out of band by `passage user …` in another process.
@Suite("Sessions end with their credentials", .serialized)
struct SessionEndTests {
    enum Change: String, CaseIterable, Sendable {
        case lock, password, role, removal

        var consoleLine: String {
            switch self {
            case .lock: "USER LOCK cw"
            case .password: "USER PASSWD cw \"a brand new password\""
            case .role: "USER ROLE cw supervisor"
            case .removal: "USER REMOVE cw"
            }
        }

        /// The `passage user …` command line (a shell line: the password comes on standard input).
        func commandLine(passage: String, conninfo: String, schema: String) -> String {
            let database = "--database-url '\(conninfo)' --schema-dir '\(schema)'"
            switch self {
            case .lock: return "'\(passage)' user lock cw \(database)"
            case .password:
                return "printf 'a brand new password\\n' | '\(passage)' user passwd cw --password-stdin \(database)"
            case .role: return "'\(passage)' user role cw supervisor \(database)"
            case .removal: return "'\(passage)' user remove cw \(database)"
            }
        }
    }

    @Test(
        "made in the console: the user's next command gets 514 and the session is signed out",
        arguments: Change.allCases)
    func throughTheConsole(_ change: Change) async throws {
        try await LiveServer.with("session-end-console-\(change.rawValue)") { server in
            try await server.session(as: "cw") { (victim: ConsoleClient) async throws -> Void in
                #expect(try await victim.request("CASE LIST").code == 250)
                try await server.session(as: "adm") { (admin: ConsoleClient) async throws -> Void in
                    #expect(try await admin.request(change.consoleLine).code == 250)
                }
                let after = try await victim.request("CASE LIST")
                #expect(after.code == 514, "\(change): \(after.code) \(after.text)")
                #expect(after.text.contains("session ended"), "\(after.text)")
                // Signed out: nothing else works either, and the reply says why.
                let whoami = try await victim.request("WHOAMI")
                #expect(whoami.code == 514 && whoami.text.contains("session ended"))
            }
        }
    }

    @Test(
        "made out of band by passage user … in another process: the next command gets 514", arguments: Change.allCases)
    func throughTheCommandLine(_ change: Change) async throws {
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        try await LiveServer.with("session-end-cli-\(change.rawValue)") { server in
            try await server.session(as: "cw") { (victim: ConsoleClient) async throws -> Void in
                #expect(try await victim.request("CASE LIST").code == 250)
                let (status, output) = try await PythonCheck.runProgram(
                    "/bin/sh", ["-c", change.commandLine(passage: passage, conninfo: server.conninfo, schema: schema)])
                #expect(status == 0, "\(change): \(output)")
                let after = try await victim.request("CASE LIST")
                #expect(after.code == 514, "\(change): \(after.code) \(after.text)")
            }
        }
    }

    @Test("an idle session, and one that only asks WHOAMI, end within the sweep: 421 and close")
    func sweepEndsIdleSessions() async throws {
        try await LiveServer.with(sessionSweep: .milliseconds(200)) { server in
            try await TestClient.with(port: server.port) { (victim: TestClient) async throws -> Void in
                _ = try await victim.readLine()
                try await victim.send("AUTH cw \(LiveServer.password("cw"))\r\n")
                #expect(try await victim.final()?.hasPrefix("250 ") == true)
                // Locked by hand in SQL, as another server process or the database's owner would.
                let connection = try PostgresConnection.connect(server.conninfo)
                defer { connection.close() }
                #expect(try connection.execute("UPDATE users SET disabled = true WHERE name = 'cw'") == 1)
                #expect(
                    try await victim.readLine()
                        == "421 session ended: the account was locked, removed or changed; sign in again")
                #expect(try await victim.readLine() == nil)
            }
        }
    }

    @Test("passwords over 72 bytes are refused when set, in the console and by passage user")
    func longPasswordsRefused() async throws {
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        let long = String(repeating: "x", count: 73)
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (admin: ConsoleClient) async throws -> Void in
                let added = try await admin.request("USER ADD longpw caseworker \(long)")
                #expect(added.code == 501 && added.text.contains("72 bytes"), "\(added.text)")
                let changed = try await admin.request("USER PASSWD cw \(long)")
                #expect(changed.code == 501 && changed.text.contains("72 bytes"), "\(changed.text)")
            }
            for line in [
                "printf '\(long)\\n' | '\(passage)' user add longpw --role caseworker --password-stdin --database-url '\(server.conninfo)' --schema-dir '\(schema)'",
                "printf '\(long)\\n' | '\(passage)' user passwd cw --password-stdin --database-url '\(server.conninfo)' --schema-dir '\(schema)'",
            ] {
                let (status, output) = try await PythonCheck.runProgram("/bin/sh", ["-c", line])
                #expect(status != 0 && output.contains("72 bytes"), "\(output)")
            }
            // The old password still works: nothing was half-applied.
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("WHOAMI").code == 250)
            }
        }
    }
}
