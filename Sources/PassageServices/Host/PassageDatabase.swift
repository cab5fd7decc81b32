import EmbeddedPostgres
import Foundation
import Logging
import PassageStore
import Postgres

/// Passage's database, open and with its schema brought up to date: the embedded cluster
/// started (or found running) with its application database, or an existing server taken as
/// it is. What every subcommand below the services starts with; `ServiceHost` builds the
/// services on it.
public final class PassageDatabase: Sendable {
    let opened: OpenedDatabase
    /// Migrations this open applied (their versions), and the schema version now.
    public let appliedMigrations: [Int]
    public let schemaVersion: Int
    /// True when the login role does not own the schema (it serves it, never migrates it).
    public let isServiceRole: Bool
    /// `--keyring-url` (`PassageDatabase+Keyring.swift`).
    let keyringURL: String?

    private init(
        opened: OpenedDatabase, appliedMigrations: [Int], schemaVersion: Int, isServiceRole: Bool,
        keyringURL: String? = nil
    ) {
        self.keyringURL = keyringURL
        self.opened = opened
        self.appliedMigrations = appliedMigrations
        self.schemaVersion = schemaVersion
        self.isServiceRole = isServiceRole
    }

    /// Opens the chosen database and applies the pending migrations. A failed migration leaves
    /// no cluster running that this call started.
    /// A login role that does not own the schema only checks it and its own privileges
    /// (`PreparedSchema`, Docs/operations.md "External PostgreSQL with least privilege").
    public static func open(_ choice: DatabaseChoice, use: DatabaseUse = .use, logger: Logger) throws
        -> PassageDatabase
    {
        let location = DatabaseLocation.resolve(dataDirectory: choice.dataDirectory, databaseURL: choice.databaseURL)
        let opened = try OpenedDatabase.open(location, logger: logger)
        do {
            let migrations = try MigrationSet.chosen(directory: choice.schemaDirectory)
            var external = false
            if case .external = location { external = true }
            let prepared = try PreparedSchema.prepare(
                conninfo: opened.conninfo, migrations: migrations, use: use, external: external, logger: logger)
            return PassageDatabase(
                opened: opened, appliedMigrations: prepared.applied, schemaVersion: prepared.version,
                isServiceRole: prepared.role.isServiceRole, keyringURL: choice.keyringURL)
        } catch {
            opened.close(stopCluster: false)
            throw error
        }
    }

    /// The newest schema version compiled into this build (`passage --version`).
    public static var compiledSchemaVersion: Int { MigrationSet.compiled.latestVersion }

    /// Where the database is, for the operator (a URL's password hidden).
    public var location: String { opened.location.description }

    /// The embedded cluster's data directory; nil for an existing server.
    public var dataDirectory: String? {
        if case .embedded(let directory) = opened.location { return directory }
        return nil
    }

    /// A one-off command's end: stops the embedded cluster only when this process started it
    /// (a running server's cluster is left alone).
    public func close() {
        opened.close(stopCluster: false)
    }

    /// The server's end: stops the embedded cluster it runs on, whoever started it.
    public func stop() {
        opened.close(stopCluster: true)
    }

    /// The personal-data key: `file`, else `PASSAGE_PII_KEY`, else (embedded cluster) the data
    /// directory's, generated on first use when `generating`. Nil when there is none to be had
    /// and `required` is false; an error naming the flags when it is true.
    func personalDataKey(file: String?, required: Bool, generating: Bool) throws -> PIIKey? {
        let environmentKey = ProcessInfo.processInfo.environment[PIIKey.environmentVariable] ?? ""
        if !required && file == nil && environmentKey.isEmpty {
            guard let dataDirectory else { return nil }
            let kept = dataDirectory + "/" + PIIKey.defaultFileName
            guard generating || FileManager.default.fileExists(atPath: kept) else { return nil }
        }
        return try PIIKey.load(file: file, embeddedDirectory: dataDirectory)
    }

    /// Re-seals identifiers pgp_sym_encrypt sealed before schema 12 with the personal-data key,
    /// in the application (Docs/operations.md "The personal-data key"). Returns how many values
    /// were re-sealed (0 once done), or nil when no key is to be had (see `personalDataKey`).
    public func resealLegacyIdentifiers(keyFile: String?, logger: Logger) throws -> Int? {
        guard let key = try personalDataKey(file: keyFile, required: false, generating: true) else { return nil }
        return try LegacyIdentifierMigration(key: key, logger: logger).run(conninfo: opened.conninfo)
    }

    /// A pool on this database; its connections start with `timeouts`.
    func pool(
        size: Int, timeouts: PostgresTimeouts, acquireTimeout: Duration, logger: Logger, name: String = "casework"
    ) throws -> PostgresPool {
        try PostgresPool(
            conninfo: opened.conninfo, size: size, acquireTimeout: acquireTimeout, timeouts: timeouts, logger: logger,
            name: name)
    }

    /// A pool on the read standby `url`: `target_session_attrs=prefer-standby` unless the
    /// string (or `PGTARGETSESSIONATTRS`) chooses, so a multi-host URL lands on a standby when
    /// one is up. No connection opens until the first heavy read.
    func readPool(
        url: String, size: Int, timeouts: PostgresTimeouts, acquireTimeout: Duration, logger: Logger
    ) throws -> PostgresPool {
        try PostgresPool(
            conninfo: try TargetSession.preferStandby.defaulted(in: url), size: size, acquireTimeout: acquireTimeout,
            timeouts: timeouts, logger: logger, name: "read")
    }

    /// One connection of its own for maintenance work (no statement or lock time limit).
    func maintenanceConnection() throws -> PostgresConnection {
        try PostgresConnection.connect(opened.conninfo, timeouts: .maintenance)
    }
}
