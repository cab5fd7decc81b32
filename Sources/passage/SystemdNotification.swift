import Foundation

/// Tells systemd that `passage serve` is ready (the unit's `Type=notify`): one `READY=1`
/// datagram to the socket named by `NOTIFY_SOCKET` once the listeners are open, `STOPPING=1` when
/// a stop begins. A few lines of the protocol, no libsystemd. Without the variable (not started
/// by systemd) it does nothing. The variable is removed from the environment at once, so the
/// PostgreSQL the server starts (built with systemd support on Debian) does not announce itself
/// in its place.
final class SystemdNotification: Sendable {
    private let socketPath: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if path != nil { unsetenv("NOTIFY_SOCKET") }
    }

    func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    func stopping() { send("STOPPING=1") }

    /// Sends one datagram; a failure is no reason to stop serving (systemd then times the start
    /// out and says so), so it is only reported.
    private func send(_ message: String) {
        guard let socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return report("socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // "@name" is an abstract socket: a leading zero byte instead of the @.
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return report("NOTIFY_SOCKET is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.enumerated() { bytes[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                sendto(descriptor, bytes, bytes.count, 0, sockaddr, length)
            }
        }
        if sent < 0 { report("sendto \(socketPath): \(String(cString: strerror(errno)))") }
    }

    private func report(_ problem: String) {
        FileHandle.standardError.write(Data("cannot notify systemd: \(problem)\n".utf8))
    }
}
