#if canImport(Glibc)
    import Foundation
    import Glibc
    import Testing
    @testable import PassageConsole

    /// Bytes a blocking writer thread managed to hand to the kernel.
    private final class ByteCount: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        func add(_ count: Int) { lock.withLock { total += count } }
        var value: Int { lock.withLock { total } }
    }

    @Suite(.timeLimit(.minutes(1))) struct BackPressureTests {
        /// A plain blocking socket, so nothing on the client side buffers: every byte counted was
        /// accepted by the kernel, which only happens while the server keeps reading.
        private func connectBlocking(port: Int) throws -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            // A small receive window, so the server's replies back up quickly.
            var window: Int32 = 64 * 1024
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(fd >= 0 && result == 0)
            return fd
        }

        @Test func aClientThatSendsWithoutReadingIsSlowedAndCannotStopShutdown() async throws {
            let configuration = ConsoleConfiguration(port: 0, shutdownGracePeriod: .milliseconds(300))
            let server = try await ConsoleServer.bind(
                configuration: configuration,
                commands: ConsoleCommands.table(FakeServices.echoing()))
            async let running: Void = server.run()
            let fd = try connectBlocking(port: server.port)
            let written = ByteCount()
            let flood = 256 << 20  // 256 MiB of requests: far more than any sane buffering
            let writer = Thread {
                // HELP: a few KiB of reply per 6-byte request, so the server soon waits on its writes.
                let chunk = Array(String(repeating: "HELP\r\n", count: 1 << 14).utf8)
                var sent = 0
                while sent < flood {
                    // MSG_NOSIGNAL: once the server closes, a write must fail, not raise SIGPIPE.
                    let count = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count <= 0 { return }
                    sent += count
                    written.add(count)
                }
            }
            writer.start()
            // Give the server ample time to take in everything if it did not push back.
            try await Task.sleep(for: .seconds(1))
            // The server answers but we never read, so it must stop reading: only socket buffers
            // and the server's few bounded chunks can be in flight (a few MiB on Linux).
            #expect(written.value > 0)
            #expect(written.value < 64 << 20, "server took \(written.value >> 20) MiB without our reading")
            // The stuck connection cannot hold shutdown hostage beyond the grace period.
            server.shutdown()
            try await running
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }
#endif
