import NIOCore

/// Writes a connection's replies, in order, straight to its channel.
///
/// Back-pressure without NIOAsyncChannel's writer (ConnectionInbox says why it is not used): a
/// write is awaited only while the socket's send buffer is full (the channel is not writable),
/// so a client that stops reading stops its connection's task, and with it the reading of its
/// further commands. `drain()` waits for the last write, so a close that follows drops nothing.
struct ReplyOutlet {
    let channel: any Channel
    private var lastWrite: EventLoopFuture<Void>?

    init(channel: any Channel) {
        self.channel = channel
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(buffer, promise: written)
        lastWrite = written.futureResult
        if !channel.isWritable { try await written.futureResult.get() }
    }

    /// Writes and waits until the bytes reached the socket.
    mutating func writeAndWait(_ buffer: ByteBuffer) async throws {
        try await write(buffer)
        try await drain()
    }

    /// Waits for the last write.
    func drain() async throws {
        try await lastWrite?.get()
    }
}
