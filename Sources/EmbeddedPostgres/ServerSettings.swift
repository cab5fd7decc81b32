import Foundation

/// The one place for the embedded cluster's server settings: `DATA/passage.conf.d/`, a
/// directory PostgreSQL reads through one `include_dir` line that Passage adds to
/// `postgresql.conf` (once, kept on every start). Each concern writes its own file there
/// (`logging.conf` here, rewritten at every start so clusters made by an older Passage get the
/// current settings too; backup writes `backup.conf`). Files are read in name order after
/// postgresql.conf; the `-c` options of `pg_ctl start` (socket, connections) still win over all.
///
/// The directory lives inside PGDATA so that it moves, is backed up and is restored with the
/// cluster, and the `include_dir` path can be relative.
public struct ServerSettings: Sendable {
    public static let directoryName = "passage.conf.d"
    static let includeLine = "include_dir = '\(directoryName)'"

    public let dataDirectory: String
    public var directory: String { dataDirectory + "/" + Self.directoryName }

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    /// Makes the directory and the `include_dir` line in postgresql.conf if missing.
    public func prepare() throws {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: directory) {
            try fileManager.createDirectory(
                atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try handToServerUser(directory)
        }
        let configuration = dataDirectory + "/postgresql.conf"
        guard let text = FileText.contents(of: configuration) else {
            throw EmbeddedClusterError.dataDirectoryUnusable(
                path: dataDirectory, reason: "its postgresql.conf cannot be read")
        }
        let included = text.split(separator: "\n").contains {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "") == "include_dir='\(Self.directoryName)'"
        }
        if !included {
            let addition =
                "\n# Added by Passage: its server settings, one file per concern (Docs/operations.md).\n"
                + Self.includeLine + "\n"
            guard let handle = FileHandle(forWritingAtPath: configuration) else {
                throw EmbeddedClusterError.dataDirectoryUnusable(
                    path: dataDirectory, reason: "its postgresql.conf cannot be written")
            }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(addition.utf8))
        }
    }

    /// Writes `DATA/passage.conf.d/<name>.conf` (replacing it). Settings that need a restart
    /// (logging_collector, archive_mode) take effect at the next start; others at a reload.
    public func write(_ name: String, settings: [(String, String)], comment: String) throws {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        var text = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }
            .joined(separator: "\n")
        text += "\n# Written by Passage at every start of the cluster: change Passage, not this file.\n"
        for (key, value) in settings { text += "\(key) = \(value)\n" }
        let path = directory + "/" + name + ".conf"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try handToServerUser(path)
    }

    /// A file's value for the configuration: quoted, with quotes and backslashes escaped.
    public static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    private func handToServerUser(_ path: String) throws {
        guard ToolRunner.isRoot else { return }
        try ToolRunner.run("/bin/chown", [ToolRunner.serverUser + ":", path], asServerUser: false)
    }
}
