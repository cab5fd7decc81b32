import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// Which PostgreSQL Passage uses: its own private cluster in a data directory (the default),
/// or an existing server named by a URL.
public enum DatabaseLocation: Sendable, CustomStringConvertible {
    case embedded(directory: String)
    case external(url: String)

    /// The name of the application database inside an embedded cluster.
    public static let embeddedDatabaseName = "passage"

    /// `--database-url` wins, then `PASSAGE_DATABASE_URL`, then the embedded cluster in
    /// `--data-dir` (default `./.passage`).
    public static func resolve(
        dataDirectory: String?, databaseURL: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty { return .external(url: databaseURL) }
        if dataDirectory == nil, let fromEnvironment = environment["PASSAGE_DATABASE_URL"], !fromEnvironment.isEmpty {
            return .external(url: fromEnvironment)
        }
        return .embedded(directory: dataDirectory ?? "./.passage")
    }

    public var description: String {
        switch self {
        case .embedded(let directory):
            return "embedded PostgreSQL in \(URL(fileURLWithPath: directory).standardizedFileURL.path)"
        case .external(let url):
            return "PostgreSQL at \(Self.redactingPassword(url))"
        }
    }

    /// A URL with its password replaced, for logs and start-up messages.
    static func redactingPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else {
            // Keyword strings: hide any password=… value.
            return url.replacingOccurrences(
                of: #"password\s*=\s*\S+"#, with: "password=***", options: .regularExpression)
        }
        components.password = "***"
        return components.string ?? "(unprintable URL)"
    }
}

/// A database made ready for use: the embedded cluster started (or adopted) and its
/// application database created, or the external URL taken as it is.
public final class OpenedDatabase: Sendable {
    public let location: DatabaseLocation
    public let conninfo: String
    public let cluster: EmbeddedCluster?
    /// True when this process started the cluster (rather than finding it running).
    public let startedCluster: Bool

    private init(location: DatabaseLocation, conninfo: String, cluster: EmbeddedCluster?, startedCluster: Bool) {
        self.location = location
        self.conninfo = conninfo
        self.cluster = cluster
        self.startedCluster = startedCluster
    }

    public static func open(_ location: DatabaseLocation, logger: Logger) throws -> OpenedDatabase {
        switch location {
        case .external(let url):
            // Writes go to the primary among the URL's hosts (Docs/operations.md "Read replicas …").
            let conninfo = try TargetSession.readWrite.defaulted(in: url)
            return OpenedDatabase(location: location, conninfo: conninfo, cluster: nil, startedCluster: false)
        case .embedded(let directory):
            let cluster = EmbeddedCluster(
                directory: directory, installation: try PostgresInstallation.locate(forClusterIn: directory), logger: logger)
            let wasRunning = cluster.isRunning()
            try cluster.start()
            try cluster.createDatabase(DatabaseLocation.embeddedDatabaseName)
            return OpenedDatabase(
                location: location,
                conninfo: cluster.connectionString(database: DatabaseLocation.embeddedDatabaseName),
                cluster: cluster,
                startedCluster: !wasRunning)
        }
    }

    /// Stops the embedded cluster when `always` (the server owns it) or when this process
    /// started it (a one-off command such as `passage migrate` leaves a running server's
    /// cluster alone).
    public func close(stopCluster always: Bool) {
        guard let cluster, always || startedCluster else { return }
        try? cluster.stop()
    }
}
