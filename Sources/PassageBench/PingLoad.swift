import NIOCore
import NIOPosix

/// A load generator for the `PING` throughput figure: `connections` clients, each keeping
/// `pipelineDepth` `PING` lines in flight and sending a new one for every reply line received.
/// It counts lines, not replies of a particular shape, so it measures redis-server's inline
/// `PING` (`+PONG`) the same way as Passage's `250 PONG`. A `220 ` greeting line is skipped.
enum PingLoad {
    enum LoadError: Error, CustomStringConvertible {
        case invalidParameters(String)
        var description: String {
            switch self {
            case .invalidParameters(let message): "ping load: \(message)"
            }
        }
    }

    /// Replies per second over all connections, counted during `seconds` after every connection
    /// is open. Lines still in flight at the end are read but not counted.
    static func run(host: String, port: Int, connections: Int, pipelineDepth: Int, seconds: Double) async throws
        -> Double
    {
        guard connections >= 1, pipelineDepth >= 1, seconds > 0 else {
            throw LoadError.invalidParameters("connections and pipelineDepth must be at least 1, seconds positive")
        }
        var opened: [NIOAsyncChannel<ByteBuffer, ByteBuffer>] = []
        for _ in 0..<connections {
            opened.append(
                try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    })
        }
        let channels = opened
        let start = ContinuousClock.now
        let deadline = start + .nanoseconds(Int64(seconds * 1e9))
        let total = try await withThrowingTaskGroup(of: Int?.self) { group in
            for channel in channels {
                group.addTask { try await drive(channel, depth: pipelineDepth, until: deadline) }
            }
            // A server that stops answering must not hang the benchmark: once the window is over,
            // lines still missing after `drainTimeout` are given up by closing the connections.
            group.addTask {
                do { try await Task.sleep(until: deadline + drainTimeout, clock: .continuous) } catch { return nil }
                for channel in channels { channel.channel.close(promise: nil) }
                return nil
            }
            var sum = 0
            var finished = 0
            while let result = try await group.next() {
                guard let counted = result else { continue }
                sum += counted
                finished += 1
                if finished == channels.count { group.cancelAll() }
            }
            return sum
        }
        let elapsed = ContinuousClock.now - start
        let measured = min(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, seconds)
        return Double(total) / measured
    }

    /// How long after the window the client waits for replies still in flight.
    static let drainTimeout: Duration = .seconds(5)

    private static func drive(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, depth: Int,
        until deadline: ContinuousClock.Instant
    ) async throws -> Int {
        var counted = 0
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await exchange(inbound, outbound, depth: depth, until: deadline, counted: &counted)
            }
        } catch  where ContinuousClock.now >= deadline {
            // Closed by the drain watchdog (or the server) after the window: the count stands.
        }
        return counted
    }

    private static func exchange(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, depth: Int,
        until deadline: ContinuousClock.Instant, counted: inout Int
    ) async throws {
        let ping = Array("PING\r\n".utf8)
        func pings(_ count: Int) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(count * ping.count)
            for _ in 0..<count { buffer.writeBytes(ping) }
            return buffer
        }
        try await outbound.write(pings(depth))
        var inFlight = depth
        var lines = ReplyLineCounter()
        for try await chunk in inbound {
            let replies = lines.count(chunk.readableBytesView)
            inFlight -= replies
            if ContinuousClock.now < deadline {
                counted += replies
                if replies > 0 {
                    try await outbound.write(pings(replies))
                    inFlight += replies
                }
            } else if inFlight <= 0 {
                return
            }
        }
    }
}

/// Counts the reply lines in a stream of chunks, whatever their shape (`250 PONG`, `+PONG`),
/// leaving out a `220 ` greeting; a line may be split across chunks.
struct ReplyLineCounter {
    private static let greeting = Array("220 ".utf8)
    /// The first bytes of the line not yet ended, enough to spot a greeting.
    private var linePrefix: [UInt8] = []

    /// The reply lines that end in `bytes`.
    mutating func count(_ bytes: some Sequence<UInt8>) -> Int {
        var replies = 0
        for byte in bytes {
            if linePrefix.count < Self.greeting.count { linePrefix.append(byte) }
            if byte == UInt8(ascii: "\n") {
                if !linePrefix.starts(with: Self.greeting) { replies += 1 }
                linePrefix.removeAll(keepingCapacity: true)
            }
        }
        return replies
    }
}
