import Metrics
import NIOCore
import Synchronization

/// Answers `PING` on the connection's event loop, without handing the line to the connection's
/// task, whenever that task owes no reply. In the pipeline only while
/// `ConsoleConfiguration.pingOnEventLoop` is on (the default; `passage serve --no-ping-on-event-loop`
/// turns it off): the one switch between PING's two paths, whose replies are the same bytes.
///
/// Why: `PING` is what monitors and load balancers send many times a second, and it needs no
/// session, no database and no command table. Going through the task costs two thread
/// hand-offs per line (event loop → Swift's cooperative pool → event loop), which is most of
/// a `PING`'s time. Every other line, and any `PING` that arrives while the task still owes a
/// reply, takes the ordinary path, so replies stay in request order.
///
/// The rules that keep this invisible to clients:
/// - only when the task owes nothing: the greeting counts as owed until it is written, and each
///   chunk handed to the task is owed until the task says it has written that chunk's replies
///   (`ChunkAnswered`, sent through the pipeline after those writes, so it arrives after them);
/// - only a chunk made of whole lines that are each `PING` (any case) or empty, and only when
///   no partial line is waiting in the task's framer;
/// - only in text format (a `FORMAT json` connection gets its JSON `PONG` from the task);
/// - only while the socket is writable: a client that sends without reading falls back to the
///   task, whose awaited writes slow it down instead of letting replies pile up in memory;
/// - never once the connection is closing (after a `421` or `QUIT`).
final class EventLoopPingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent by the connection's task (`channel.triggerUserOutboundEvent`) once it has written the
    /// replies to one chunk — or the greeting.
    struct ChunkAnswered: Sendable {}

    /// The table's `PING` reply in text format, byte for byte (`PingPathTests`).
    static let pong = ReplyWriter.render(BuiltinCommands.pong, format: .text)

    private let shared: EventLoopPingState
    /// PINGs answered here are counted with the others (CommandObserver), not logged.
    private let answered: Counter?
    /// Chunks (and the greeting) whose replies the task has not written yet.
    private var owed = 1
    /// The last chunk handed to the task did not end with a line feed: its framer holds a
    /// partial line, which the next bytes complete.
    private var partialLineInTask = false

    init(shared: EventLoopPingState, answered: Counter? = nil) {
        self.shared = shared
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = unwrapInboundIn(data)
        if owed == 0, !partialLineInTask, shared.mayAnswer, context.channel.isWritable,
            let pings = Self.pingCount(chunk.readableBytesView)
        {
            if pings > 0 {
                var reply = context.channel.allocator.buffer(capacity: pings * Self.pong.utf8.count)
                for _ in 0..<pings { reply.writeString(Self.pong) }
                shared.touch()
                answered?.increment(by: pings)
                context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            }
            return
        }
        owed += 1
        partialLineInTask = chunk.readableBytesView.last != UInt8(ascii: "\n")
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if event is ChunkAnswered {
            owed = max(0, owed - 1)
            promise?.succeed(())
            return
        }
        context.triggerUserOutboundEvent(event, promise: promise)
    }

    /// How many `PING` lines the chunk holds, or nil when it holds anything else (another
    /// command, a partial line, a bare carriage return …).
    static func pingCount(_ bytes: ByteBufferView) -> Int? {
        guard bytes.last == UInt8(ascii: "\n") else { return nil }
        var pings = 0
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                var lineEnd = index
                if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                switch lineEnd - lineStart {
                case 0:
                    break
                case 4 where isPing(bytes, at: lineStart):
                    pings += 1
                default:
                    return nil
                }
                lineStart = index + 1
            }
            index += 1
        }
        return pings
    }

    private static func isPing(_ bytes: ByteBufferView, at start: Int) -> Bool {
        // ASCII letters only: OR-ing 0x20 lower-cases them, and "ping" has no other byte that
        // could alias to it.
        bytes[start] | 0x20 == UInt8(ascii: "p") && bytes[start + 1] | 0x20 == UInt8(ascii: "i")
            && bytes[start + 2] | 0x20 == UInt8(ascii: "n") && bytes[start + 3] | 0x20 == UInt8(ascii: "g")
    }
}

/// What the event-loop `PING` path and the connection's task share: whether answering on the
/// event loop is allowed now, and when the last such answer was given (which is activity for
/// the idle timeout).
final class EventLoopPingState: Sendable {
    private let answering = Atomic<Bool>(true)
    private let base = ContinuousClock.now
    /// Nanoseconds after `base` of the last event-loop answer; -1 when there was none.
    private let lastAnswer = Atomic<Int64>(-1)

    /// True while the connection is open and in text format.
    var mayAnswer: Bool { answering.load(ordering: .acquiring) }

    /// The task sets this after each chunk (format may have changed) and clears it for good
    /// when the connection starts closing.
    func allow(_ allowed: Bool) {
        answering.store(allowed, ordering: .releasing)
    }

    func touch() {
        let elapsed = base.duration(to: .now).components
        lastAnswer.store(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000, ordering: .relaxed)
    }

    /// When the event loop last answered, if it ever did.
    var lastActivity: ContinuousClock.Instant? {
        let nanoseconds = lastAnswer.load(ordering: .relaxed)
        return nanoseconds < 0 ? nil : base + .nanoseconds(nanoseconds)
    }
}
