import EmbeddedPostgres
import Foundation
import Logging

/// One throwaway PostgreSQL cluster for the whole test run, started by the same launcher that
/// `passage serve` uses. Each caller gets a brand-new database, so suites never see each
/// other's rows. The cluster is stopped and its directory removed when the test process
/// exits, whether tests passed or failed; a run that crashed is swept by the next run.
public enum TestCluster {
    /// Returns a libpq connection string for a new, empty database (pgcrypto installed).
    public static func freshDatabase(_ label: String = #function) async throws -> String {
        let cluster = try await shared.value
        let name = databaseName(for: label)
        // CREATE DATABASE copies the template and checkpoints: blocking, so off the pool.
        try await offThePool { try cluster.createDatabase(name, template: templateDatabase) }
        return cluster.connectionString(database: name)
    }

    /// The running cluster itself, for tests of the launcher or of outages.
    public static func cluster() async throws -> EmbeddedCluster {
        try await shared.value
    }

    static let templateDatabase = "passage_test_template"
    static let directoryPrefix = "/tmp/passage-test-"

    private static let shared = Task<EmbeddedCluster, Error> {
        sweepClustersOfDeadRuns()
        let directory = directoryPrefix + String(getpid())
        var quiet = Logger(label: "passage.test-cluster")
        quiet.logLevel = .warning
        let cluster = EmbeddedCluster(
            directory: directory, installation: try PostgresInstallation.locate(), logger: quiet)
        try? FileManager.default.removeItem(atPath: directory)
        try cluster.start()
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        try cluster.createDatabase(templateDatabase)
        try cluster.runAdministrativeSQL("CREATE EXTENSION IF NOT EXISTS pgcrypto", database: templateDatabase)
        ownedCluster.set(cluster)
        atexit { TestCluster.removeOwnedCluster() }
        return cluster
    }

    private static let counter = Counter()
    private static let ownedCluster = Box<EmbeddedCluster>()

    private static func databaseName(for label: String) -> String {
        let cleaned = label.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "t\(counter.next())_" + String(String(cleaned).prefix(48))
    }

    static func removeOwnedCluster() {
        guard let cluster = ownedCluster.get() else { return }
        try? cluster.stop(immediate: true)
        try? FileManager.default.removeItem(atPath: cluster.directory)
    }

    /// Clusters left by a test process that was killed: their owner.pid names a dead process.
    private static func sweepClustersOfDeadRuns() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where ("/tmp/" + entry).hasPrefix(directoryPrefix) {
            let directory = "/tmp/" + entry
            guard let text = try? String(contentsOfFile: directory + "/owner.pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                kill(pid, 0) != 0, errno == ESRCH,
                let installation = try? PostgresInstallation.locate()
            else { continue }
            try? EmbeddedCluster(directory: directory, installation: installation).stop(immediate: true)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// A counter shared by concurrently running tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// A value set once from the start-up task and read by the exit handler.
final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value? { lock.withLock { value } }
}
