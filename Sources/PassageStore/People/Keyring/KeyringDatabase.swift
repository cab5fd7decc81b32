import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// Where the keyring lives (Docs/operations.md "The keyring"): beside the embedded cluster, a
/// second small cluster in `DIR/keyring` (its own PGDATA, so the case cluster's backups never
/// carry it); with an existing server, the database `--keyring-url` names (also
/// `PASSAGE_KEYRING_URL`), which must not be the case database.
public final class KeyringDatabase: Sendable {
    public let keyring: PersonKeyring
    public let cluster: EmbeddedCluster?
    /// True when this process started the keyring cluster.
    public let startedCluster: Bool

    public static let environmentVariable = "PASSAGE_KEYRING_URL"
    public static let embeddedDirectoryName = "keyring"
    public static let embeddedDatabaseName = "keyring"

    private init(keyring: PersonKeyring, cluster: EmbeddedCluster?, startedCluster: Bool) {
        self.keyring = keyring
        self.cluster = cluster
        self.startedCluster = startedCluster
    }

    /// The keyring for the case database at `location`; nil for an existing server without a
    /// keyring URL (persons are then sealed under the personal-data key itself, and cannot be
    /// erased by crypto-shredding).
    public static func open(
        for location: DatabaseLocation, url: String?, caseConninfo: String,
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> KeyringDatabase? {
        switch location {
        case .external:
            let chosen = url ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
            guard let chosen else { return nil }
            let conninfo = try TargetSession.readWrite.defaulted(in: chosen)
            let keyring = try PersonKeyring(conninfo: conninfo)
            try refuseCaseDatabase(keyring, caseConninfo: caseConninfo)
            return KeyringDatabase(keyring: keyring, cluster: nil, startedCluster: false)
        case .embedded(let directory):
            if let url, !url.isEmpty {
                return KeyringDatabase(keyring: try PersonKeyring(conninfo: url), cluster: nil, startedCluster: false)
            }
            let keyringDirectory =
                URL(fileURLWithPath: directory).standardizedFileURL.path + "/" + embeddedDirectoryName
            let cluster = EmbeddedCluster(
                directory: keyringDirectory,
                installation: try PostgresInstallation.locate(forClusterIn: keyringDirectory), logger: logger)
            let wasRunning = cluster.isRunning()
            try cluster.start()
            do {
                try cluster.createDatabase(embeddedDatabaseName)
                let keyring = try PersonKeyring(conninfo: cluster.connectionString(database: embeddedDatabaseName))
                return KeyringDatabase(keyring: keyring, cluster: cluster, startedCluster: !wasRunning)
            } catch {
                if !wasRunning { try? cluster.stop() }
                throw error
            }
        }
    }

    /// The keyring in the case database would come back with every backup of it: refused.
    static func refuseCaseDatabase(_ keyring: PersonKeyring, caseConninfo: String) throws {
        let here = try keyring.withConnection { connection in
            try connection.query("SELECT to_regclass('persons') IS NOT NULL")[0].decode(Bool.self)
        }
        if here {
            throw StoreError.unusable(
                "--keyring-url names the case database (it has a persons table): the keyring must be a database of its own, outside the case database's backups"
            )
        }
    }

    /// Closes the keyring's connections; stops its cluster when `always` or when this process started it.
    public func close(stopCluster always: Bool) {
        keyring.close()
        guard let cluster, always || startedCluster else { return }
        try? cluster.stop()
    }
}
