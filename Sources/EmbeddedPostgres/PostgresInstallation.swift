import Foundation

/// Where the PostgreSQL server binaries (initdb, pg_ctl, postgres) live on this machine.
///
/// Debian does not put them on PATH, so we ask `pg_config --bindir` first and then look in
/// `/usr/lib/postgresql/<version>/bin`, preferring the newest version. A cluster that exists
/// already is opened with the major version that created it (`locate(forClusterIn:)`).
public struct PostgresInstallation: Sendable {
    public let binDirectory: String

    public init(binDirectory: String) { self.binDirectory = binDirectory }

    public func tool(_ name: String) -> String { binDirectory + "/" + name }

    /// The installation for a new cluster: the first server found (see the type's comment).
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        askPgConfig: Bool = true,
        versionsRoot root: String = "/usr/lib/postgresql"
    ) throws -> PostgresInstallation {
        let (servers, searched) = servers(environment: environment, askPgConfig: askPgConfig, versionsRoot: root)
        guard let first = servers.first else { throw EmbeddedClusterError.serverNotInstalled(searched: searched) }
        return PostgresInstallation(binDirectory: first)
    }

    /// Directories holding a server (initdb and pg_ctl), in order of preference:
    /// `PASSAGE_PG_BINDIR`, `pg_config --bindir`, then `<root>/<version>/bin` newest first; and
    /// every place looked at, for the error.
    static func servers(environment: [String: String], askPgConfig: Bool, versionsRoot root: String) -> (
        [String], searched: [String]
    ) {
        var searched: [String] = []
        var candidates: [String] = []
        if let explicit = environment["PASSAGE_PG_BINDIR"], !explicit.isEmpty { candidates.append(explicit) }
        if askPgConfig,
            let fromPgConfig = try? ToolRunner.run("pg_config", ["--bindir"], asServerUser: false).trimmingCharacters(
                in: .whitespacesAndNewlines),
            !fromPgConfig.isEmpty
        {
            candidates.append(fromPgConfig)
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Double($0) ?? 0) > (Double($1) ?? 0) }) {
            candidates.append("\(root)/\(version)/bin")
        }
        if versions.isEmpty { searched.append("\(root)/*/bin") }
        var servers: [String] = []
        for directory in candidates {
            searched.append(directory)
            if FileManager.default.isExecutableFile(atPath: directory + "/initdb"),
                FileManager.default.isExecutableFile(atPath: directory + "/pg_ctl"), !servers.contains(directory)
            {
                servers.append(directory)
            }
        }
        return (servers, searched)
    }
}
