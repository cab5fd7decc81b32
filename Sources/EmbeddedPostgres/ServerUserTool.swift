import Foundation

/// Runs a program as the embedded cluster's operating-system user, for code outside this
/// target that works on the cluster's files (backup and restore with pgBackRest: its
/// `archive-push` runs as that user from PostgreSQL, so its backups, locks and logs must be that
/// user's too). The same hand-over as the server's own tools: `runuser -u postgres` when
/// Passage runs as root, the current user otherwise.
public enum ServerUserTool {
    /// The operating-system user the cluster runs as.
    public static var user: String {
        if ToolRunner.isRoot { return ToolRunner.serverUser }
        return getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
    }

    /// True when Passage runs as root and so hands the cluster's work to `postgres`.
    public static var handsOver: Bool { ToolRunner.isRoot }

    /// Runs `tool` (a path, or a name on PATH) and returns its exit status and its combined
    /// standard output and error.
    public static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let (status, output) = try ToolRunner.runCapturingStatus(
            tool, arguments, asServerUser: true, environment: environment)
        return (status, output)
    }

    /// Runs `tool` as the calling user (root hands a file to the cluster's user with chown).
    public static func runAsCaller(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, output) = try ToolRunner.runCapturingStatus(tool, arguments, asServerUser: false)
        return (status, output)
    }
}
