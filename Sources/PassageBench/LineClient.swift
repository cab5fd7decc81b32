import PassageConsole

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A console connection for load generation: a plain blocking TCP socket driven by one thread,
/// as pgbench drives each of its connections. `passage-bench refer` measures the server; a
/// client that spends its own CPU on event loops and task hand-offs would take that CPU from
/// the server and PostgreSQL on the same machine, and be measured instead of them. Not for
/// anything but benchmarks: no TLS, no timeouts.
final class LineClient {
    enum Failure: Error, CustomStringConvertible {
        case connect(String)
        case closed
        case reply(ReplyGrammarError)
        var description: String {
            switch self {
            case .connect(let why): "cannot connect: \(why)"
            case .closed: "the server closed the connection"
            case .reply(let error): error.description
            }
        }
    }

    private let socket: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var lines = ReceivedLines()
    private var reader = ReplyReader()

    /// Connects to an IPv4 or IPv6 address literal or a host name, and reads the greeting.
    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else { throw Failure.connect(String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(found) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var connected: Int32 = -1
        var lastError = ECONNREFUSED
        while let address = candidate, connected < 0 {
            let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                    connected = fd
                } else {
                    lastError = errno
                    close(fd)
                }
            }
            candidate = address.pointee.ai_next
        }
        guard connected >= 0 else { throw Failure.connect(String(cString: strerror(lastError))) }
        var on: Int32 = 1
        setsockopt(connected, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        socket = connected
        let greeting = try readReply()
        guard greeting.code == 220 else { throw Failure.connect("greeted with \(greeting.code) \(greeting.text)") }
    }

    deinit { close(socket) }

    /// Sends one line and returns its reply.
    func request(_ line: String) throws -> ReceivedReply {
        var bytes = Array(line.utf8)
        bytes.append(contentsOf: [13, 10])
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure.closed }
            sent += n
        }
        return try readReply()
    }

    private func readReply() throws -> ReceivedReply {
        while true {
            let line = try readLine()
            do {
                if let reply = try reader.accept(line) { return reply }
            } catch {
                throw Failure.reply(error)
            }
        }
    }

    private func readLine() throws -> String {
        while true {
            if let line = lines.nextLine() { return line }
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure.closed }
            lines.append(buffer[0..<n])
        }
    }
}
