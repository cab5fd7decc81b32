// TEMPORARY: stands in for TestSupport's TestCluster until it lands on main. Uses a scratch
// cluster started by hand (socket in /tmp/pgA, port 54329). Delete before merging main.
import Foundation
import Postgres

enum TestCluster {
    static func freshDatabase(_ label: String = #function) async throws -> String {
        let base = "host=/tmp/pgA port=54329 user=postgres"
        let safe = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
        let name = "t_\(safe)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try PostgresConnection.connect(base + " dbname=postgres")
        defer { admin.close() }
        try admin.executeScript("CREATE DATABASE \(name)")
        return base + " dbname=\(name)"
    }
}
