import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 16, items 9, 10 and 12 through the `passage` binary, as an operator runs it.
@Suite("Security of the command line and of serve's start", .serialized)
struct SecurityCommandLineTests {
    static let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path

    /// "operator:" and the name of the OS user running this test, as `passage export` records it.
    static var operatorIdentity: String {
        "operator:" + (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid\(getuid())")
    }

    @Test(
        "passage export: --user NAME is refused; the export is audited under operator:<os user>, whose budget it spends"
    )
    func exportRunsAsTheOperator() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        try StatsEndToEndTests.populate(conninfo)
        let passage = try NetcatShellTests.passageBinary()
        let base = ["export", "--database-url", conninfo, "--schema-dir", Self.schema, "--by", "origin"]
        // Naming someone is no longer enough to export as them and spend their budget.
        let (refused, refusal) = try await PythonCheck.runProgram(passage, base + ["--user", "some-analyst"])
        #expect(refused != 0, "an export under a name it was merely given ran:\n\(refusal)")
        #expect(refusal.contains("--user"), "\(refusal)")
        let (status, output) = try await PythonCheck.runProgram(passage, base)
        #expect(status == 0, "\(output)")
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let actors = try connection.query("SELECT actor FROM audit_log WHERE action = 'stats.export' ORDER BY id").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(actors == [Self.operatorIdentity])
        // The release it made is the operator's too (ε is no longer a command-line choice: issue 17).
        let makers = try connection.query("SELECT made_by FROM statistics_releases").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(makers == [Self.operatorIdentity])
    }

    @Test("serve: a host that merely starts with 127. is not loopback, so it needs TLS")
    func lookalikeLoopbackNeedsTLS() async throws {
        let passage = try NetcatShellTests.passageBinary()
        for host in ["127.evil.example", "127.0.0.1.nip.io", "127.1.2.3.4"] {
            // Refused before anything starts: the database URL is never tried.
            let (status, output) = try await PythonCheck.runProgram(
                passage,
                [
                    "serve", "--listen", host, "--port", "0",
                    "--database-url", "host=/nonexistent-passage-socket dbname=x",
                ])
            #expect(status != 0)
            #expect(output.contains("refusing to listen on \(host) without TLS"), "\(host): \(output)")
        }
    }

    @Test("serve: demo accounts made by --demo are disabled, loudly and audited, by a start without --demo")
    func demoAccountsDoNotSurvive() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        try await NetcatShellTests.runScript(
            "demo-accounts-retired", [try NetcatShellTests.passageBinary(), conninfo, Self.schema])
    }
}
