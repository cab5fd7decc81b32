import EmbeddedPostgres
import Foundation

/// Passage's backup configuration: one pgBackRest configuration file, outside the data
/// directory, naming the repository and holding its passphrase (`repo1-cipher-pass`). It is the
/// one thing besides the personal-data key that a restore on a new machine needs, so it lives
/// where the key lives (`/etc/passage/backup.conf` in the package) and is copied away with it.
///
/// Only the repository's settings are here ([global]); what depends on the data directory
/// (pg1-path, the socket, lock and log paths) is given on each command line by Passage
/// (`BackupCluster`), so the same file serves after a data directory moved.
public struct BackupConfigurationFile {
    public static let packagePath = "/etc/passage/backup.conf"
    public static let packageRepository = "/var/lib/passage-backup"
    public static let environmentVariable = "PASSAGE_BACKUP_CONFIG"

    public let path: String
    public let repository: String

    /// `--backup-config`, else `PASSAGE_BACKUP_CONFIG`, else the package's file when it exists.
    public static func choosePath(given: String?, environment: [String: String]) -> String? {
        if let given { return absolute(given) }
        if let value = environment[environmentVariable], !value.isEmpty { return absolute(value) }
        return FileManager.default.fileExists(atPath: packagePath) ? packagePath : nil
    }

    /// Reads and checks an existing file: a repository path and encryption with a passphrase.
    public static func read(_ path: String) throws -> BackupConfigurationFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BackupError(
                "cannot read the backup configuration \(path) (as \(currentUser()); it must be readable by the user the cluster runs as)"
            )
        }
        var global: [String: String] = [:]
        var section = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard section == "global", let equals = line.firstIndex(of: "=") else { continue }
            global[line[..<equals].trimmingCharacters(in: .whitespaces)] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let repository = global["repo1-path"], repository.hasPrefix("/") else {
            throw BackupError("\(path): no repo1-path (the repository's absolute path) in its [global] section")
        }
        guard global["repo1-cipher-type"] == "aes-256-cbc" else {
            throw BackupError(
                "\(path): the repository is not encrypted (repo1-cipher-type = aes-256-cbc is missing): Passage keeps no backup of personal data in the clear"
            )
        }
        guard let passphrase = global["repo1-cipher-pass"], passphrase.utf8.count >= 32 else {
            throw BackupError("\(path): repo1-cipher-pass (the repository's passphrase, at least 32 characters) is missing")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            throw BackupError(
                "the backup configuration \(path) holds the repository's passphrase and is readable by others (mode \(String(mode, radix: 8))): chmod 600 it"
            )
        }
        return BackupConfigurationFile(path: path, repository: repository)
    }

    /// Writes a new file with a generated passphrase (32 random bytes as hex), mode 0600 from
    /// the start, owned by the cluster's user (pgBackRest runs as that user, also from PostgreSQL).
    public static func create(at path: String, repository: String) throws -> BackupConfigurationFile {
        var generator = SystemRandomNumberGenerator()
        let passphrase = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
        let text = """
            # Passage's backup repository (pgBackRest), written by `passage backup setup`.
            # Keep a copy of this file apart from this machine, with the personal-data key: without
            # the passphrase below no backup can be read, and without the key no name in one.
            # The data directory's settings (pg1-path, socket, lock and log paths) are given by
            # Passage on each command line. Docs/operations.md "Backup and restore".
            [global]
            repo1-path=\(repository)
            repo1-cipher-type=aes-256-cbc
            repo1-cipher-pass=\(passphrase)
            # Two full backups (and the incremental ones and the WAL between) are kept.
            repo1-retention-full=2
            compress-type=zst
            process-max=2
            start-fast=y

            """
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw BackupError("cannot create the backup configuration \(path): \(String(cString: strerror(errno)))")
        }
        let written = text.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
        guard written == text.utf8.count else { throw BackupError("cannot write the backup configuration \(path)") }
        try BackupFiles.handToClusterUser(path)
        return BackupConfigurationFile(path: path, repository: repository)
    }

    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func currentUser() -> String {
        getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
    }
}

/// Small file-system facts the backup commands check.
public enum BackupFiles {
    /// True when `path` is `directory` or lies inside it (symbolic links resolved, so a link
    /// into the data directory counts as inside).
    public static func isInside(_ path: String, _ directory: String) -> Bool {
        let resolvedPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let resolvedDirectory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        return resolvedPath == resolvedDirectory || resolvedPath.hasPrefix(resolvedDirectory + "/")
    }

    /// Paths go into PostgreSQL's `archive_command` (a shell line): only plain characters.
    public static func checkPlain(_ path: String, what: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+")
        guard path.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw BackupError("\(what) \(path): use a path of letters, digits and / . _ - + only (it goes into PostgreSQL's archive_command)")
        }
    }

    /// When Passage runs as root the cluster's files belong to `postgres`: hand a new one over.
    static func handToClusterUser(_ path: String) throws {
        guard ServerUserTool.handsOver else { return }
        let (status, output) = try ServerUserTool.runAsCaller("/bin/chown", [ServerUserTool.user + ":", path])
        guard status == 0 else { throw BackupError("cannot hand \(path) to \(ServerUserTool.user): \(output)") }
    }

    /// Makes a directory (mode 0700) for the cluster's user unless it exists; an existing one
    /// must be writable by that user.
    public static func prepareDirectory(_ path: String, what: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw BackupError("cannot create \(what) \(path): \(error.localizedDescription)")
            }
            try handToClusterUser(path)
        }
        let (status, _) = try ServerUserTool.run("/usr/bin/test", ["-d", path, "-a", "-w", path, "-a", "-x", path])
        guard status == 0 else {
            throw BackupError("\(what) \(path) is not a directory the user \(ServerUserTool.user) can write")
        }
    }
}
