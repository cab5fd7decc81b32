import EmbeddedPostgres
import Foundation
import Logging

/// A primary and a hot standby of it, each a throwaway cluster of its own (not the shared test
/// cluster, since tests stop and promote them): the primary made like `TestCluster`'s, the
/// standby by `pg_basebackup -R` as the server user, streaming from the primary's socket.
/// `remove()` stops both and deletes their directories.
public final class ReplicatedClusters: Sendable {
    public let primary: EmbeddedCluster
    public let standby: EmbeddedCluster
    public let database = "passage_replicated"
    private let root: String

    private static let counter = Counter()

    /// Starts the primary with `database`, then the standby from a base backup of it. Seconds.
    public init() throws {
        root = "/tmp/passage-pair-\(getpid())-\(Self.counter.next())"
        try? FileManager.default.removeItem(atPath: root)
        // Reachable by the server user; each cluster's own directory below is private (0700).
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        var quiet = Logger(label: "passage.test-replicas")
        quiet.logLevel = .warning
        let installation = try PostgresInstallation.locate()
        primary = EmbeddedCluster(directory: root + "/primary", installation: installation, logger: quiet)
        standby = EmbeddedCluster(directory: root + "/standby", installation: installation, logger: quiet)
        try primary.start()
        try primary.createDatabase(database)
        try FileManager.default.createDirectory(
            atPath: standby.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if ServerUserTool.handsOver {
            _ = try ServerUserTool.runAsCaller("/bin/chown", [ServerUserTool.user + ":", standby.directory])
        }
        let (status, output) = try ServerUserTool.run(
            installation.tool("pg_basebackup"),
            [
                "-h", primary.socketDirectory, "-p", "5432", "-U", primary.superuser, "-D", standby.dataDirectory,
                "-R", "-X", "stream", "-c", "fast",
            ])
        guard status == 0 else {
            remove()
            throw ReplicatedClustersError(what: "pg_basebackup failed (\(status)): \(output)")
        }
        try standby.start()
    }

    /// Connection string of the replicated database on `cluster`.
    public func conninfo(_ cluster: EmbeddedCluster) -> String {
        cluster.connectionString(database: database)
    }

    /// Runs trusted set-up SQL on the primary.
    public func onPrimary(_ sql: String) throws {
        try primary.runAdministrativeSQL(sql, database: database)
    }

    /// Runs trusted SQL on the standby (reads, `pg_wal_replay_pause()`).
    public func onStandby(_ sql: String) throws {
        try standby.runAdministrativeSQL(sql, database: database)
    }

    /// Waits until the standby has replayed (or, with `receivedOnly`, received) everything the
    /// primary has written so far. A wait, not a timing check: gives up after a minute.
    public func waitForStandby(receivedOnly: Bool = false) throws {
        let position = try primary.administrativeValue("SELECT pg_current_wal_lsn()", database: database)
        let function = receivedOnly ? "pg_last_wal_receive_lsn()" : "pg_last_wal_replay_lsn()"
        for _ in 0..<600 {
            let caughtUp = try standby.administrativeValue(
                "SELECT coalesce(\(function) >= '\(position)'::pg_lsn, false)", database: database)
            if caughtUp == "t" { return }
            usleep(100_000)
        }
        throw ReplicatedClustersError(what: "the standby did not reach \(position) within a minute")
    }

    /// `pg_ctl promote -w`: the standby becomes a primary.
    public func promoteStandby() throws {
        let (status, output) = try ServerUserTool.run(
            standby.installation.tool("pg_ctl"), ["-D", standby.dataDirectory, "-w", "-t", "60", "promote"])
        guard status == 0 else { throw ReplicatedClustersError(what: "pg_ctl promote failed: \(output)") }
    }

    /// Stops both clusters and removes their directories.
    public func remove() {
        try? standby.stop(immediate: true)
        try? primary.stop(immediate: true)
        try? FileManager.default.removeItem(atPath: root)
    }
}

public struct ReplicatedClustersError: Error, CustomStringConvertible {
    public let what: String
    public var description: String { what }
}

extension EmbeddedCluster {
    /// The one value a trusted query returns, through psql as the superuser (set-up only).
    func administrativeValue(_ sql: String, database: String) throws -> String {
        let (status, output) = try ServerUserTool.run(
            installation.tool("psql"),
            ["-h", socketDirectory, "-U", superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql])
        guard status == 0 else { throw ReplicatedClustersError(what: "psql failed: \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
