import NIOCore
import NIOPosix
import PassageConsole

/// A plain line client over real TCP, for the server tests.
final class TestClient {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// Sendable, so a test can write from another task while this one reads.
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer: [UInt8] = []
    private(set) var isClosed = false

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>)
    {
        self.iterator = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects, runs `body`, closes.
    static func with<T>(port: Int, _ body: (TestClient) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestClient(inbound: inbound, outbound: outbound))
        }
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    func send(bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Closes our sending side only (like `nc -N` at the end of its input); replies still arrive.
    func finishSending() {
        outbound.finish()
    }

    /// The next line without its CRLF, or nil once the server closed the connection.
    func readLine() async throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard let chunk = try await iterator.next() else {
                isClosed = true
                return nil
            }
            buffer += chunk.readableBytesView
        }
    }

    /// Exactly the next `count` bytes as received, line ends included; fewer once the server closed.
    func readBytes(_ count: Int) async throws -> [UInt8] {
        while buffer.count < count {
            guard let chunk = try await iterator.next() else {
                isClosed = true
                break
            }
            buffer += chunk.readableBytesView
        }
        let bytes = Array(buffer.prefix(count))
        buffer.removeFirst(bytes.count)
        return bytes
    }

    /// All lines of one reply, up to and including its final `NNN text` line.
    func readReply() async throws -> [String] {
        var lines: [String] = []
        var inData = false
        while let line = try await readLine() {
            lines.append(line)
            if inData {
                if line == "." { inData = false }
                continue
            }
            let bytes = Array(line.utf8)
            if bytes.count >= 4, bytes[3] == UInt8(ascii: "+") {
                inData = true
                continue
            }
            if bytes.count >= 4, bytes[3] == UInt8(ascii: " ") { return lines }
        }
        return lines
    }

    /// The final line of the next reply.
    func final() async throws -> String? {
        try await readReply().last
    }
}
