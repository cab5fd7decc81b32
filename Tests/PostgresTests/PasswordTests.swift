import Foundation
import Postgres
import TestSupport
import Testing

@Suite("A wrong password is a typed authentication failure")
struct PasswordTests {
    /// The test cluster trusts every local connection, so this test makes one role (unique to
    /// the run) require a SCRAM password by putting a rule for it first in pg_hba.conf, and
    /// restores the file afterwards. Other roles, and so other tests, are unaffected.
    @Test func wrongPasswordIsTyped() async throws {
        let cluster = try await TestCluster.cluster()
        let conninfo = try await TestCluster.freshDatabase()
        let admin = try PostgresConnection.connect(conninfo)
        defer { admin.close() }
        let role = "passage_pw_\(UInt32.random(in: 0...UInt32.max))"
        let address = "host=\(admin.host) port=\(admin.port) dbname=\(admin.database) user=\(role)"
        // DDL takes no parameters; the role name and password are our own constants.
        try admin.executeScript("CREATE ROLE \(role) LOGIN PASSWORD 'right-horse-battery'")
        let hbaPath = cluster.dataDirectory + "/pg_hba.conf"
        let original = try String(contentsOfFile: hbaPath, encoding: .utf8)
        // Written in place (not atomically) so the file keeps its owner and mode.
        try ("local all \(role) scram-sha-256\n" + original).write(toFile: hbaPath, atomically: false, encoding: .utf8)
        defer {
            try? original.write(toFile: hbaPath, atomically: false, encoding: .utf8)
            _ = try? admin.query("SELECT pg_reload_conf()")
            try? admin.executeScript("DROP ROLE IF EXISTS \(role)")
        }
        #expect(try admin.query("SELECT pg_reload_conf()")[0].decode(Bool.self))

        // The postmaster applies the reload asynchronously: wait until the rule is in force.
        var failure: (kind: ConnectionFailureKind, message: String)?
        for _ in 0..<200 where failure == nil {
            do {
                try PostgresConnection.connect(address + " password=wrong-password").close()
                try await Task.sleep(for: .milliseconds(25))
            } catch let PostgresError.connectionFailed(kind, message) {
                failure = (kind, message)
            }
        }
        #expect(failure?.kind == .authenticationFailed, "\(String(describing: failure))")
        #expect(failure?.message.contains("password authentication failed") == true)
        #expect(failure?.message.contains(role) == true)
        // The same role with the right password gets in: it was the password that was wrong.
        let good = try PostgresConnection.connect(address + " password=right-horse-battery")
        #expect(try good.query("SELECT current_user")[0].decode(String.self) == role)
        good.close()
    }
}
