import NIOCore
import Synchronization

/// One connection's received bytes, handed from its channel pipeline (`ConnectionInboxHandler`)
/// to its task (`ConnectionReader`), with back-pressure: past `highWatermark` chunks waiting,
/// the handler stops asking the socket for more, and the task asks again once it has taken the
/// queue down to `lowWatermark`. A client that sends without reading so fills its own TCP
/// window, not the server's memory.
///
/// Why not NIOAsyncChannel's inbound stream, which does the same: its generic producer is not
/// specialised for our element type outside NIO's module, so every chunk paid for run-time
/// generic metadata look-ups, several locks and state machines; it was about a fifth of the
/// event loop's CPU per request (Docs/performance.md "REFER").
final class ConnectionInbox: Sendable {
    static let lowWatermark = 2
    static let highWatermark = 8

    private struct State {
        var chunks: [ByteBuffer] = []
        var next = 0
        /// Set once: end of input (nil) or the error that ended it.
        var ended: (any Error)?? = nil
        var waiter: UnsafeContinuation<ByteBuffer?, any Error>?
        /// The handler held back a read because the queue was full.
        var readHeldBack = false
        /// Closing: what still arrives is dropped, and this promise is completed once the
        /// client has closed too (`LingeringClose`).
        var discarding: EventLoopPromise<Void>?
        var lingering = false
        var peerClosed = false
    }

    private let state = Mutex(State())
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// The next chunk; nil at the end of input. Throws the channel's error, or
    /// `CancellationError` when the waiting task is cancelled.
    func next() async throws -> ByteBuffer? {
        if let ready = try takeReady() { return ready }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                // A chunk or the end may have come since `takeReady`.
                let (resumeNow, askForMore): (Result<ByteBuffer?, any Error>?, Bool) = state.withLock { state in
                    if state.next < state.chunks.count {
                        return (.success(Self.take(&state)), false)
                    }
                    if let ended = state.ended {
                        return (ended.map { .failure($0) } ?? .success(nil), false)
                    }
                    state.waiter = continuation
                    // Nothing queued: a read held back (queue full) must not stay held.
                    defer { state.readHeldBack = false }
                    return (nil, state.readHeldBack)
                }
                // Outside the lock: on the event loop the read runs the handler's `read` at once,
                // and that takes the lock.
                if askForMore { channel.read() }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            finish(throwing: CancellationError())
        }
    }

    private func takeReady() throws -> ByteBuffer?? {
        let (chunk, ended, askForMore): (ByteBuffer?, (any Error)??, Bool) = state.withLock { state in
            guard state.next < state.chunks.count else { return (nil, state.ended, false) }
            let chunk = Self.take(&state)
            let askForMore = state.readHeldBack && state.chunks.count - state.next <= Self.lowWatermark
            if askForMore { state.readHeldBack = false }
            return (chunk, nil, askForMore)
        }
        if askForMore { channel.read() }
        if let chunk { return .some(chunk) }
        switch ended {
        case .some(.some(let error)): throw error
        case .some(.none): return .some(nil)
        case .none: return .none
        }
    }

    private static func take(_ state: inout State) -> ByteBuffer {
        let chunk = state.chunks[state.next]
        state.next += 1
        if state.next == state.chunks.count {
            state.chunks.removeAll(keepingCapacity: true)
            state.next = 0
        }
        return chunk
    }

    /// From the handler: a chunk arrived (whether reading pauses is `holdBackRead`'s to say).
    func deliver(_ chunk: ByteBuffer) {
        let waiter: UnsafeContinuation<ByteBuffer?, any Error>? = state.withLock { state in
            guard state.ended == nil, state.discarding == nil else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.chunks.append(chunk)
            return nil
        }
        waiter?.resume(returning: chunk)
    }

    /// From the handler: a read was held back because the queue is full; the task asks the
    /// channel again once it has caught up.
    func holdBackRead() -> Bool {
        state.withLock { state in
            guard state.discarding == nil, state.chunks.count - state.next >= Self.highWatermark else { return false }
            state.readHeldBack = true
            return true
        }
    }

    /// End of input (nil) or an error; chunks already queued are still handed out first.
    func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
            if state.ended == nil { state.ended = .some(error) }
            defer { state.waiter = nil }
            return state.waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }
}

extension ConnectionInbox {
    /// From the handler: the client closed its side, or the connection is gone.
    func peerClosed() {
        let discarding = state.withLock { state -> EventLoopPromise<Void>? in
            state.peerClosed = true
            defer { state.discarding = nil }
            return state.discarding
        }
        discarding?.succeed(())
        finish()
    }

    /// Whether this call is the one that starts closing (the first): a connection is closed once.
    func startLingering() -> Bool {
        state.withLock { state in
            defer { state.lingering = true }
            return !state.lingering
        }
    }

    /// From now on, what arrives is read and dropped; `done` is completed once the client has
    /// closed its side (at once if it has already).
    func discardUntilPeerCloses(_ done: EventLoopPromise<Void>) {
        let (closedAlready, askForMore) = state.withLock { state -> (Bool, Bool) in
            if state.peerClosed { return (true, false) }
            state.discarding = done
            state.chunks.removeAll()
            state.next = 0
            defer { state.readHeldBack = false }
            return (false, state.readHeldBack)
        }
        if closedAlready { done.succeed(()) }
        if askForMore { channel.read() }
    }
}

/// The last handler of a console connection's pipeline: passes received chunks to the
/// connection's `ConnectionInbox`, and holds back socket reads while the inbox is full.
final class ConnectionInboxHandler: ChannelDuplexHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let inbox: ConnectionInbox

    init(inbox: ConnectionInbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.deliver(unwrapInboundIn(data))
    }

    func read(context: ChannelHandlerContext) {
        if !inbox.holdBackRead() { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closed its sending side (`nc -N`): replies are still owed and written.
        if let event = event as? ChannelEvent, event == .inputClosed {
            inbox.peerClosed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.peerClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.finish(throwing: error)
        context.close(promise: nil)
    }
}
