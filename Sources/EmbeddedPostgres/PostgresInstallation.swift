import Foundation

/// Where the PostgreSQL server binaries (initdb, pg_ctl, postgres) live on this machine.
///
/// Debian does not put them on PATH, so we ask `pg_config --bindir` first and then look in
/// `/usr/lib/postgresql/<version>/bin`, preferring the newest version.
public struct PostgresInstallation: Sendable {
    public let binDirectory: String

    public init(binDirectory: String) { self.binDirectory = binDirectory }

    public func tool(_ name: String) -> String { binDirectory + "/" + name }

    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        askPgConfig: Bool = true,
        versionsRoot root: String = "/usr/lib/postgresql"
    ) throws -> PostgresInstallation {
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
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("\(root)/\(version)/bin")
        }
        if versions.isEmpty { searched.append("\(root)/*/bin") }
        for directory in candidates {
            searched.append(directory)
            if FileManager.default.isExecutableFile(atPath: directory + "/initdb"),
                FileManager.default.isExecutableFile(atPath: directory + "/pg_ctl")
            {
                return PostgresInstallation(binDirectory: directory)
            }
        }
        throw EmbeddedClusterError.serverNotInstalled(searched: searched)
    }
}
