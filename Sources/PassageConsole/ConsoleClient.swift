import NIOCore
import NIOPosix

/// A console client for `passage console` and scripts written in Swift: sends request lines and
/// reads whole replies. Not shared between tasks (it owns a stream iterator).
public final class ConsoleClient {
    public enum ClientError: Error, CustomStringConvertible {
        case closed
        case lineTooLong
        case noGreeting
        public var description: String {
            switch self {
            case .closed: "the server closed the connection"
            case .lineTooLong: "the server sent a line longer than 1 MiB"
            case .noGreeting: "no greeting from the server (does it speak TLS? then use --tls / --tls-ca)"
            }
        }
    }

    /// The server's greeting line (`220 passage 0.1.0 ready`, or a `421` refusal).
    public private(set) var greeting: ReceivedReply
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var lines = ReceivedLines()
    private var reader = ReplyReader()

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>)
    {
        self.iterator = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.greeting = ReceivedReply(code: 0)
    }

    /// Connects, reads the greeting, runs `body`, and closes the connection.
    /// How long to wait for the server's greeting.
    public static let greetingTimeout: TimeAmount = .seconds(10)

    public static func withConnection<T>(
        host: String = "127.0.0.1", port: Int = 7411, tls: ConsoleTLS? = nil,
        _ body: (ConsoleClient) async throws -> T
    ) async throws -> T {
        // SNI and hostname checks take names, not addresses.
        let hostname = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addClientHandler(to: channel, hostname: hostname)
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        // A server that never greets (one speaking TLS to a plain client, or the other way round)
        // would otherwise leave the client waiting for ever.
        let underlying = channel.channel
        let noGreeting = underlying.eventLoop.scheduleTask(in: greetingTimeout) { underlying.close(promise: nil) }
        return try await channel.executeThenClose { inbound, outbound in
            let client = ConsoleClient(inbound: inbound, outbound: outbound)
            do {
                client.greeting = try await client.readReply()
                noGreeting.cancel()
            } catch {
                noGreeting.cancel()
                throw ClientError.noGreeting
            }
            return try await body(client)
        }
    }

    /// Sends one request line and returns its reply.
    public func request(_ line: String) async throws -> ReceivedReply {
        try await send(line)
        return try await readReply()
    }

    /// Sends one request line without waiting (pipelining); read its reply with `readReply()`.
    public func send(_ line: String) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
    }

    /// Closes the sending side; replies already owed still arrive.
    public func finishSending() {
        outbound.finish()
    }

    /// The next whole reply.
    public func readReply() async throws -> ReceivedReply {
        while true {
            guard let line = try await readLine() else { throw ClientError.closed }
            if let reply = try reader.accept(line) { return reply }
        }
    }

    private func readLine() async throws -> String? {
        while true {
            if let line = lines.nextLine() { return line }
            guard lines.unfinishedCount <= 1 << 20 else { throw ClientError.lineTooLong }
            guard let chunk = try await iterator.next() else { return nil }
            lines.append(chunk.readableBytesView)
        }
    }
}
