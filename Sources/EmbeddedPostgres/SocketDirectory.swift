#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The short directory in /tmp that holds the socket of a cluster whose own directory is too
/// deep for a socket path (`/tmp/passage-<hash>`, the same on every start).
///
/// Its name is predictable, so another local user can create something there first: a symbolic
/// link (root used to chown its target to postgres and PostgreSQL put the socket wherever it
/// pointed — into the reach of an impostor server that then received passwords, the personal-data
/// key and cleartext PII), or a directory of their own. So the directory is made with an
/// exclusive `mkdir` (mode 0700) and then checked through a descriptor opened without following
/// links; one that already exists is used only if it is a real directory, owned by the server
/// user and of mode 0700. Anything else is refused and left exactly as it was.
/// Docs/security.md, "1. Socket directory".
enum SocketDirectory {
    /// Who must own the directory: `postgres` when root runs the cluster as postgres, else us.
    static func expectedOwner() throws -> (name: String, uid: uid_t, gid: gid_t) {
        guard ToolRunner.isRoot else {
            let name = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
            return (name, geteuid(), getegid())
        }
        guard let entry = getpwnam(ToolRunner.serverUser) else {
            throw EmbeddedClusterError.dataDirectoryUnusable(
                path: "/", reason: "there is no '\(ToolRunner.serverUser)' system user to run PostgreSQL as")
        }
        return (ToolRunner.serverUser, entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Makes `path`, or accepts the directory already there, or throws naming what is wrong.
    static func prepare(_ path: String) throws {
        let owner = try expectedOwner()
        func refuse(_ reason: String) -> EmbeddedClusterError {
            .dataDirectoryUnusable(
                path: path,
                reason: reason
                    + ". It is the socket directory of a data directory whose path is too long for a socket; another local user may have planted it."
                    + " Remove it (check who made it first), or choose a --data-dir of at most \(EmbeddedCluster.maximumSocketDirectoryLength) bytes"
            )
        }
        let created = mkdir(path, 0o700) == 0
        if !created && errno != EEXIST {
            throw refuse("cannot create it (\(String(cString: strerror(errno))))")
        }
        // Never follow a link here: O_NOFOLLOW fails on one, and every later check and change goes
        // through this descriptor, so nothing can swap the path between check and use.
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
                throw refuse("it is a symbolic link, which is never followed")
            }
            if reason == ENOTDIR { throw refuse("it exists and is not a directory") }
            throw refuse("cannot open it (\(String(cString: strerror(reason))))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw refuse("cannot examine it (\(String(cString: strerror(errno))))")
        }
        if created && info.st_uid == geteuid() {
            // Ours, just made: hand it to the server user and set the mode the umask may have cut.
            guard
                (info.st_uid == owner.uid && info.st_gid == owner.gid) || fchown(descriptor, owner.uid, owner.gid) == 0
            else {
                throw refuse("cannot give it to \(owner.name) (\(String(cString: strerror(errno))))")
            }
            guard fchmod(descriptor, 0o700) == 0 else {
                throw refuse("cannot make it private (\(String(cString: strerror(errno))))")
            }
            return
        }
        guard info.st_uid == owner.uid else {
            let actual = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
            throw refuse("it is owned by \(actual), not by \(owner.name)")
        }
        let mode = info.st_mode & 0o7777
        guard mode == 0o700 else {
            throw refuse("its mode is \(String(mode, radix: 8)), not 700")
        }
    }
}
