import Foundation
import Logging

/// A private PostgreSQL cluster that lives in one directory and is reachable only through a
/// Unix socket inside it (no TCP port), so trust authentication is safe: the directory is
/// mode 0700 and owned by the server user.
///
/// Layout of the directory:
/// - `data/`          the cluster (PGDATA); `data/passage.conf.d/` its server settings (ServerSettings)
/// - `log/`           the server's log: `postgresql-Mon.log` … one file a weekday (ServerLog),
///                    `startup.log` what the postmaster says before its log collector runs
/// - `.s.PGSQL.5432`  the socket (or in a short fallback directory when the path is too long)
///
/// The postmaster is started with `pg_ctl start` and so is daemonised: when `passage serve` is
/// killed with `kill -9`, the cluster keeps running and the next `start()` adopts it instead of
/// starting a second one. A postmaster that died leaves a stale `postmaster.pid`, which
/// PostgreSQL itself recognises and replaces on start.
public final class EmbeddedCluster: Sendable {
    public let directory: String
    public let installation: PostgresInstallation
    public let superuser = "postgres"
    public let socketDirectory: String
    private let logger: Logger

    /// A Unix socket path may hold at most 107 bytes; `/.s.PGSQL.5432` takes 15 of them.
    static let maximumSocketDirectoryLength = 107 - 15

    public init(
        directory: String, installation: PostgresInstallation,
        logger: Logger = Logger(label: "passage.embedded-postgres")
    ) {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.directory = absolute
        self.installation = installation
        self.logger = logger
        if absolute.utf8.count <= Self.maximumSocketDirectoryLength {
            socketDirectory = absolute
        } else {
            // A deep data directory still works: its socket goes to a short, private directory
            // whose name is derived from the data directory, so every start finds the same one.
            // Being predictable, it is made and checked by SocketDirectory, never trusted.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in absolute.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            socketDirectory = "/tmp/passage-" + String(hash, radix: 16)
        }
    }

    public var dataDirectory: String { directory + "/data" }
    public var logDirectory: String { directory + "/log" }
    /// What `pg_ctl start` and the postmaster print before the logging collector takes over
    /// (a few lines a start, and why a start failed).
    public var startupLogFile: String { logDirectory + "/startup.log" }
    /// The one place for server settings (`data/passage.conf.d/`), see ServerSettings.
    public var settings: ServerSettings { ServerSettings(dataDirectory: dataDirectory) }

    /// The file the server is logging to now, from PostgreSQL's own `current_logfiles`.
    public func currentLogFile() -> String? {
        ServerLog.currentFile(dataDirectory: dataDirectory)
    }

    /// libpq keyword connection string for `database` on this cluster.
    public func connectionString(database: String) -> String {
        "host=\(socketDirectory) port=5432 user=\(superuser) dbname=\(database)"
    }

    public var isInitialised: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    }

    /// Initialises the cluster on first use and starts it, or adopts one already running here.
    public func start() throws {
        try prepareDirectories()
        try checkMajorVersion()
        if !isInitialised {
            logger.info("initialising a new PostgreSQL cluster", metadata: ["data": "\(dataDirectory)"])
            try ToolRunner.run(
                installation.tool("initdb"),
                [
                    "-D", dataDirectory, "-U", superuser, "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-instructions",
                ], asServerUser: true)
        }
        // Every start, so a cluster made by an older Passage gets the current settings too.
        try settings.prepare()
        try ServerLog.writeSettings(into: settings, logDirectory: logDirectory)
        if isRunning() {
            if try waitUntilAccepting(seconds: 60) {
                logger.info("adopting the PostgreSQL cluster already running", metadata: ["data": "\(dataDirectory)"])
                return
            }
            // pg_ctl saw a live PID, yet nothing answers: the postmaster died and its PID is a
            // zombie that no one reaped (a container without an init). Its lock file is stale.
            logger.warning("removing the stale lock files of a dead postmaster", metadata: ["data": "\(dataDirectory)"])
            removeLockFilesOfDeadPostmaster()
        }
        if let pid = postmasterPID(), Self.isZombieOrGone(pid) {
            removeLockFilesOfDeadPostmaster()
        }
        let options = [
            "-c listen_addresses=''",
            "-c unix_socket_directories='\(socketDirectory)'",
            "-c unix_socket_permissions=0700",
            "-c max_connections=200",
        ].joined(separator: " ")
        try ToolRunner.run(
            installation.tool("pg_ctl"),
            [
                "-D", dataDirectory, "-l", startupLogFile, "-w", "-t", "60", "-o", options, "start",
            ], asServerUser: true)
        logger.info("PostgreSQL started", metadata: ["socket": "\(socketDirectory)"])
    }

    /// A cluster is started only by the major version that created it: an installation of
    /// another version (`locate()` picks the newest) is refused, naming where the right one is or
    /// what to do when it is gone (`PostgresInstallation.locate(forClusterIn:)` picks right).
    private func checkMajorVersion() throws {
        guard let wanted = ClusterVersion.of(dataDirectory: dataDirectory),
            let have = installation.majorVersion(), have != wanted
        else { return }
        let right = try PostgresInstallation.locate(forClusterIn: directory)
        throw EmbeddedClusterError.dataDirectoryUnusable(
            path: dataDirectory,
            reason:
                "it was created by PostgreSQL \(wanted) and the server programs given (\(installation.binDirectory)) are PostgreSQL \(have); PostgreSQL \(wanted)'s are in \(right.binDirectory)"
        )
    }

    /// True when a live postmaster serves this data directory.
    public func isRunning() -> Bool {
        guard isInitialised else { return false }
        if let pid = postmasterPID(), Self.isZombieOrGone(pid) { return false }
        let status = try? ToolRunner.runCapturingStatus(
            installation.tool("pg_ctl"), ["-D", dataDirectory, "status"], asServerUser: true)
        return status?.0 == 0
    }

    /// Waits for the server to accept connections (it may still be starting or recovering
    /// after a crash). False when the postmaster is gone or does not answer in time.
    func waitUntilAccepting(seconds: Int) throws -> Bool {
        for _ in 0..<(seconds * 4) {
            let (status, _) = try ToolRunner.runCapturingStatus(
                installation.tool("pg_isready"),
                ["-h", socketDirectory, "-U", superuser, "-t", "1"], asServerUser: true)
            if status == 0 { return true }
            if let pid = postmasterPID(), Self.isZombieOrGone(pid) { return false }
            if postmasterPID() == nil { return false }
            usleep(250_000)
        }
        return false
    }

    /// PostgreSQL replaces lock files naming a vanished process itself, but not ones naming a
    /// zombie (signal 0 still reaches it). Called only once the postmaster is known dead.
    private func removeLockFilesOfDeadPostmaster() {
        for path in [
            dataDirectory + "/postmaster.pid", socketDirectory + "/.s.PGSQL.5432.lock",
            socketDirectory + "/.s.PGSQL.5432",
        ] {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// The PID on the first line of postmaster.pid, if there is one.
    func postmasterPID() -> Int32? {
        guard let text = FileText.contents(of: dataDirectory + "/postmaster.pid") else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// A killed postmaster whose parent (often PID 1 in a container) never reaps it stays a
    /// zombie: signal 0 still "reaches" it, so pg_ctl would call it running.
    static func isZombieOrGone(_ pid: Int32) -> Bool {
        guard let stat = FileText.contents(of: "/proc/\(pid)/stat") else {
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        // Format: "pid (comm) S …"; comm may hold spaces, so read the state after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Stops the cluster: `fast` rolls back open transactions and disconnects clients cleanly;
    /// `immediate` is for throwaway test clusters only.
    public func stop(immediate: Bool = false) throws {
        guard isRunning() else { return }
        try ToolRunner.run(
            installation.tool("pg_ctl"),
            [
                "-D", dataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop",
            ], asServerUser: true)
        logger.info("PostgreSQL stopped", metadata: ["data": "\(dataDirectory)"])
    }

    /// Creates `name` unless it exists. Uses the server's own `createdb`, so this target needs
    /// no database driver.
    public func createDatabase(_ name: String, template: String? = nil) throws {
        var arguments = ["-h", socketDirectory, "-U", superuser]
        if let template { arguments += ["-T", template] }
        let (status, output) = try ToolRunner.runCapturingStatus(
            installation.tool("createdb"), arguments + [name], asServerUser: true)
        if status != 0 && !output.contains("already exists") {
            throw EmbeddedClusterError.toolFailed(tool: "createdb", status: status, output: output)
        }
    }

    /// Runs one trusted SQL command through `psql` as the superuser (set-up only, never user input).
    public func runAdministrativeSQL(_ sql: String, database: String) throws {
        try ToolRunner.run(
            installation.tool("psql"),
            [
                "-h", socketDirectory, "-U", superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql,
            ], asServerUser: true)
    }

    private func prepareDirectories() throws {
        let fileManager = FileManager.default
        for path in [directory, logDirectory] {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw EmbeddedClusterError.dataDirectoryUnusable(
                        path: path, reason: "it exists and is not a directory")
                }
            } else {
                do {
                    try fileManager.createDirectory(
                        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                } catch {
                    throw EmbeddedClusterError.dataDirectoryUnusable(
                        path: path, reason: "cannot create it (\(error.localizedDescription))")
                }
            }
            if ToolRunner.isRoot {
                // The server user must own the directories it writes; root keeps access anyway.
                try ToolRunner.run("/bin/chown", [ToolRunner.serverUser + ":", path], asServerUser: false)
                // A cluster first made by another user is handed over once, not on every start.
                if path == directory, fileManager.fileExists(atPath: dataDirectory),
                    (try? fileManager.attributesOfItem(atPath: dataDirectory)[.ownerAccountName] as? String)
                        != ToolRunner.serverUser
                {
                    try ToolRunner.run(
                        "/bin/chown", ["-R", ToolRunner.serverUser + ":", dataDirectory], asServerUser: false)
                }
                let (reachable, _) = try ToolRunner.runCapturingStatus(
                    "/usr/bin/test", ["-w", path, "-a", "-x", path], asServerUser: true)
                guard reachable == 0 else {
                    throw EmbeddedClusterError.dataDirectoryUnusable(
                        path: path,
                        reason:
                            "the '\(ToolRunner.serverUser)' user cannot reach it (a parent directory is private, like /root); choose a --data-dir under /var/lib, /srv or /tmp"
                    )
                }
            }
            try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        }
        if socketDirectory != directory {
            // Predictable and in /tmp: made and checked with care (SocketDirectory).
            try SocketDirectory.prepare(socketDirectory)
        }
    }
}
