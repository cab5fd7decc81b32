/// What can go wrong when Passage runs its own PostgreSQL cluster. Each message says what to do.
public enum EmbeddedClusterError: Error, CustomStringConvertible, Sendable {
    case serverNotInstalled(searched: [String])
    case dataDirectoryUnusable(path: String, reason: String)
    case toolFailed(tool: String, status: Int32, output: String)
    case notRunning(path: String)
    /// The cluster in `directory` was made by PostgreSQL `clusterVersion`, and no server of that
    /// major version is installed (`installed`: the others found).
    case clusterVersionNotInstalled(
        directory: String, clusterVersion: String, installed: [InstalledServer], versionsRoot: String)

    public var description: String {
        switch self {
        case .serverNotInstalled(let searched):
            return "PostgreSQL server binaries not found (looked in: \(searched.joined(separator: ", "))). "
                + "Install them with: apt-get update && apt-get install -y postgresql libpq-dev, "
                + "or set PASSAGE_PG_BINDIR, or use --database-url to reach an existing server."
        case .dataDirectoryUnusable(let path, let reason):
            return "data directory \(path) cannot be used: \(reason)"
        case .toolFailed(let tool, let status, let output):
            let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n")
            return "\(tool) failed with status \(status):\n\(tail)"
        case .notRunning(let path):
            return "no PostgreSQL is running in \(path)"
        case .clusterVersionNotInstalled(let directory, let version, let installed, let root):
            return ClusterVersionAdvice.text(
                directory: directory, clusterVersion: version, installed: installed, versionsRoot: root)
        }
    }
}
