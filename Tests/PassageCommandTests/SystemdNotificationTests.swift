import Foundation
import Testing

@testable import passage

/// `Type=notify`: READY=1 reaches the datagram socket systemd names in NOTIFY_SOCKET.
@Suite("systemd notification")
struct SystemdNotificationTests {
    @Test("READY=1 and STOPPING=1 arrive on NOTIFY_SOCKET; without it nothing is sent")
    func notifies() throws {
        let path = NSTemporaryDirectory() + "passage-notify-\(UUID().uuidString.prefix(8))"
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(receiver >= 0)
        defer {
            close(receiver)
            unlink(path)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(receiver, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        }
        SystemdNotification(environment: [:]).ready(status: "nothing")
        #expect(receive() == "")
        let notification = SystemdNotification(environment: ["NOTIFY_SOCKET": path])
        notification.ready(status: "console on 127.0.0.1:7411")
        #expect(receive() == "READY=1\nSTATUS=console on 127.0.0.1:7411")
        notification.stopping()
        #expect(receive() == "STOPPING=1")
    }
}
