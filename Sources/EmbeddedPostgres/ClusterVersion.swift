import Foundation

/// The PostgreSQL major version of a cluster, and the server programs that can open it. A data
/// directory opens only with the major version that created it (`DATA/PG_VERSION` names it), so
/// an operating-system upgrade that installs a newer PostgreSQL must not make Passage pick the
/// newer binaries for an older cluster: it keeps the old ones, or says what to do when they are
/// gone (Docs/operations.md "Upgrading PostgreSQL").
public enum ClusterVersion {
    /// The major version in `DATA/PG_VERSION` ("15"), nil when there is no cluster there.
    public static func of(dataDirectory: String) -> String? {
        guard let text = FileText.contents(of: dataDirectory + "/PG_VERSION") else { return nil }
        let version = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return version.isEmpty ? nil : version
    }

    /// The major version in a tool's `--version` line: "pg_ctl (PostgreSQL) 15.8 (Debian …)" →
    /// "15"; before PostgreSQL 10 the major version had two parts ("9.6.24" → "9.6").
    static func major(fromVersionLine line: String) -> String? {
        guard let marker = line.range(of: "(PostgreSQL) ") else { return nil }
        let number = line[marker.upperBound...].prefix { $0.isNumber || $0 == "." }
        let parts = number.split(separator: ".")
        guard let first = parts.first, let value = Int(first) else { return nil }
        if value >= 10 { return String(first) }
        return parts.count >= 2 ? "\(first).\(parts[1])" : nil
    }
}

extension PostgresInstallation {
    /// This server's major version, from `pg_ctl --version`; nil when it cannot be told.
    public func majorVersion() -> String? {
        guard let (status, output) = try? ToolRunner.runCapturingStatus(tool("pg_ctl"), ["--version"], asServerUser: false),
            status == 0
        else { return nil }
        return ClusterVersion.major(fromVersionLine: output)
    }

    /// The installation for the embedded cluster in `directory` (its `data/`): for a cluster
    /// that exists, a server of the major version that created it, never another — an explicit
    /// `PASSAGE_PG_BINDIR` of another version is refused too; for a new one, `locate()`'s choice.
    /// Throws `clusterVersionNotInstalled`, naming the versions and the remedies, when no server
    /// of the cluster's version is installed.
    public static func locate(
        forClusterIn directory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        askPgConfig: Bool = true,
        versionsRoot root: String = "/usr/lib/postgresql"
    ) throws -> PostgresInstallation {
        let data = URL(fileURLWithPath: directory).standardizedFileURL.path + "/data"
        guard let wanted = ClusterVersion.of(dataDirectory: data) else {
            return try locate(environment: environment, askPgConfig: askPgConfig, versionsRoot: root)
        }
        let (servers, _) = Self.servers(environment: environment, askPgConfig: askPgConfig, versionsRoot: root)
        let explicit = environment["PASSAGE_PG_BINDIR"].flatMap { $0.isEmpty ? nil : $0 }
        var found: [InstalledServer] = []
        for server in servers {
            let installation = PostgresInstallation(binDirectory: server)
            let version = installation.majorVersion()
            if version == wanted { return installation }
            found.append(InstalledServer(version: version ?? "?", binDirectory: server))
            // An explicit choice of another version is refused, not silently replaced.
            if server == explicit { break }
        }
        throw EmbeddedClusterError.clusterVersionNotInstalled(
            directory: URL(fileURLWithPath: directory).standardizedFileURL.path, clusterVersion: wanted,
            installed: found, versionsRoot: root)
    }
}

/// A server found on this machine: its major version and where its programs are.
public struct InstalledServer: Sendable, Equatable {
    public let version: String
    public let binDirectory: String
}
