import EmbeddedPostgres
import Foundation
import Testing

/// Issue 16, item 1: a data directory too deep for a socket path puts the socket in the
/// predictable `/tmp/passage-<hash>`. Whatever another local user planted there first — a
/// symbolic link, a directory of their own, a directory others can enter — the start refuses
/// and leaves it as it was (root used to chown the link's target to postgres).
@Suite("Socket directory fallback in /tmp", .serialized)
struct SocketDirectoryTests {
    /// A cluster whose socket falls back to /tmp. No server binaries: every start that gets
    /// past the directories fails at initdb, which is as far as these tests need to go.
    static func deepCluster() -> (cluster: EmbeddedCluster, top: String) {
        let top = "/tmp/passage-sd-\(UUID().uuidString)"
        // Made here with mode 0755, so the postgres user can reach the data directory inside it.
        mkdir(top, 0o755)
        chmod(top, 0o755)
        let cluster = EmbeddedCluster(
            directory: top + "/" + String(repeating: "d", count: 100),
            installation: PostgresInstallation(binDirectory: "/nonexistent-passage-bin"))
        return (cluster, top)
    }

    /// The uid that must own the socket directory: postgres when root runs the cluster.
    static var expectedOwner: uid_t {
        geteuid() == 0 ? (getpwnam("postgres")?.pointee.pw_uid ?? 0) : geteuid()
    }

    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// The reason the start refused the socket directory, or nil when it did not refuse it.
    static func refusal(_ cluster: EmbeddedCluster) -> String? {
        do {
            try cluster.start()
            try? cluster.stop(immediate: true)
            return nil
        } catch EmbeddedClusterError.dataDirectoryUnusable(let path, let reason) where path == cluster.socketDirectory {
            return reason
        } catch {
            return nil
        }
    }

    @Test("a symbolic link planted at the fallback path: start refuses and the link's target keeps its owner and mode")
    func plantedSymlinkIsRefused() throws {
        let (cluster, top) = Self.deepCluster()
        let target = "/tmp/passage-sd-target-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: top)
            try? FileManager.default.removeItem(atPath: target)
            unlink(cluster.socketDirectory)
        }
        try #require(mkdir(target, 0o755) == 0)
        let before = try #require(Self.status(target))
        try #require(symlink(target, cluster.socketDirectory) == 0)
        let reason = Self.refusal(cluster)
        #expect(reason?.contains("symbolic link") == true, "\(reason ?? "not refused")")
        let after = try #require(Self.status(target))
        #expect(after.st_uid == before.st_uid && after.st_gid == before.st_gid, "the link's target changed owner")
        #expect(after.st_mode == before.st_mode, "the link's target changed mode")
        #expect(
            Self.status(cluster.socketDirectory).map { $0.st_mode & S_IFMT == S_IFLNK } == true, "the link was replaced"
        )
    }

    @Test("a directory of another user at the fallback path: start refuses and leaves its owner")
    func foreignDirectoryIsRefused() throws {
        let (cluster, top) = Self.deepCluster()
        defer {
            try? FileManager.default.removeItem(atPath: top)
            rmdir(cluster.socketDirectory)
        }
        try #require(mkdir(cluster.socketDirectory, 0o700) == 0)
        let stranger: uid_t = 65_534  // nobody
        if geteuid() == 0 { try #require(chown(cluster.socketDirectory, stranger, stranger) == 0) }
        let reason = Self.refusal(cluster)
        if geteuid() == 0 {
            #expect(reason?.contains("owned by") == true, "\(reason ?? "not refused")")
            #expect(Self.status(cluster.socketDirectory)?.st_uid == stranger)
        }
    }

    @Test("a directory others may enter at the fallback path: start refuses and leaves its mode")
    func openDirectoryIsRefused() throws {
        let (cluster, top) = Self.deepCluster()
        defer {
            try? FileManager.default.removeItem(atPath: top)
            rmdir(cluster.socketDirectory)
        }
        try #require(mkdir(cluster.socketDirectory, 0o700) == 0)
        try #require(chmod(cluster.socketDirectory, 0o755) == 0)
        try #require(chown(cluster.socketDirectory, Self.expectedOwner, gid_t.max) == 0)
        let reason = Self.refusal(cluster)
        #expect(reason?.contains("mode") == true, "\(reason ?? "not refused")")
        #expect(Self.status(cluster.socketDirectory).map { $0.st_mode & 0o7777 } == 0o755)
    }

    @Test(
        "nothing planted: the start makes the directory itself, private to the server user, and accepts it again next time"
    )
    func freshDirectoryIsPrivate() throws {
        let (cluster, top) = Self.deepCluster()
        defer {
            try? FileManager.default.removeItem(atPath: top)
            rmdir(cluster.socketDirectory)
        }
        #expect(Self.refusal(cluster) == nil)
        let made = try #require(Self.status(cluster.socketDirectory))
        #expect(made.st_mode & S_IFMT == S_IFDIR)
        #expect(made.st_mode & 0o7777 == 0o700)
        #expect(made.st_uid == Self.expectedOwner)
        #expect(Self.refusal(cluster) == nil, "the directory made by the first start is refused by the second")
    }
}
