import Foundation

/// Runs PostgreSQL's command-line tools and captures what they print.
///
/// PostgreSQL refuses to run as root, so when we are root every server tool runs as the
/// unprivileged `postgres` system user through `runuser`; the data directory is owned by it.
enum ToolRunner {
    static let serverUser = "postgres"

    static var isRoot: Bool { geteuid() == 0 }

    /// Runs `tool` (a path, or a name looked up on PATH) and returns its combined output.
    /// Throws `toolFailed` with the output when the exit status is not zero.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], asServerUser: Bool, environment: [String: String] = [:])
        throws -> String
    {
        let (status, output) = try runCapturingStatus(
            tool, arguments, asServerUser: asServerUser, environment: environment)
        guard status == 0 else {
            throw EmbeddedClusterError.toolFailed(
                tool: (tool as NSString).lastPathComponent, status: status, output: output)
        }
        return output
    }

    static func runCapturingStatus(
        _ tool: String, _ arguments: [String], asServerUser: Bool, environment: [String: String] = [:]
    ) throws -> (Int32, String) {
        var argv: [String]
        if asServerUser && isRoot {
            argv = ["/usr/sbin/runuser", "-u", serverUser, "--", tool] + arguments
        } else if tool.hasPrefix("/") {
            argv = [tool] + arguments
        } else {
            argv = ["/usr/bin/env", tool] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        // Keep the tools' messages in English and independent of the caller's locale settings.
        env["LC_ALL"] = "C.UTF-8"
        for (key, value) in environment { env[key] = value }
        // Output goes to a temporary file, not a pipe: pg_ctl leaves the daemonised postmaster
        // holding the inherited descriptors, and a pipe would then never reach end-of-file.
        let outputPath = NSTemporaryDirectory() + "passage-tool-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let status = try spawnAndWait(argv, environment: env, outputPath: outputPath)
        let output = FileText.contents(of: outputPath) ?? ""
        return (status, output)
    }

    /// posix_spawn + waitpid. Foundation's `Process.waitUntilExit` was seen to hang here when
    /// two processes were started from concurrent tests; the plain system calls do not.
    private static func spawnAndWait(_ argv: [String], environment: [String: String], outputPath: String) throws
        -> Int32
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        InheritedDescriptors.closeAllAbove2(in: &actions)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        // The child starts with no blocked signals and default handling of the stop signals:
        // `passage serve` ignores SIGTERM (a dispatch source handles it) and threads of a Swift
        // process may block signals, and both would otherwise be inherited across exec.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP] { sigaddset(&stopSignals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &stopSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else {
            throw EmbeddedClusterError.toolFailed(
                tool: argv[0], status: spawned, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw EmbeddedClusterError.toolFailed(
                    tool: argv[0], status: -1, output: "waitpid failed: \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}
