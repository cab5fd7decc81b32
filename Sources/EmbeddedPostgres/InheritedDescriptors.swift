import Foundation

/// Keeps this process's open files and sockets out of the tools it starts.
///
/// Why: `pg_ctl start` leaves a postmaster running that inherits every descriptor open in the
/// spawning process at that moment, and SwiftNIO opens its sockets without close-on-exec. A
/// console or HTTP connection open while the cluster is (re)started then stays open in the
/// postmaster and its backends after Passage closes it: the kernel sends no end of stream, and
/// the client waits for ever. Seen as the parallel test-run hang (Docs/testing.md): the server
/// socket in CLOSE-WAIT, held only by postgres processes. So the child gets only 0, 1 and 2.
enum InheritedDescriptors {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does
    /// not import; looked up at run time so an older C library falls back instead of failing to load.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Adds to `actions`: close every descriptor from 3 up in the child.
    static func closeAllAbove2(in actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        // Fallback: the descriptors open now (one accepted in between could still slip through).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
