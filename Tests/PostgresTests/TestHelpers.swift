import Foundation
import Postgres
import TestSupport

/// Opens a connection to a brand-new database and closes it after `body`.
func withFreshConnection(
    _ label: String = #function, _ body: (PostgresConnection) throws -> Void
) async throws {
    let conninfo = try await TestCluster.freshDatabase(label)
    let connection = try PostgresConnection.connect(conninfo)
    defer { connection.close() }
    try body(connection)
}

/// Small thread-safe counter for closures that run on pool threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    @discardableResult func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
    var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Resident set size of this process in bytes (Linux /proc), or nil elsewhere.
func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Number of open file descriptors of this process (Linux /proc), or nil elsewhere.
func openFileDescriptors() -> Int? {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count
}
