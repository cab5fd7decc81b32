import Logging
import NIOCore

/// Reads one connection's bytes, answers each line in order, and decides when it ends.
struct ConnectionReader: Sendable {
    let dispatcher: CommandDispatcher
    let lineLimit: Int
    let logger: Logger
    /// The registry's number for this connection: request ids are `c<connection>.<line>`.
    let connectionID: Int
    let observer: CommandObserver
    let occupancy: LoopOccupancy
    /// Whether the pipeline holds an `EventLoopPingHandler` to tell when a chunk is answered.
    let pingOnEventLoop: Bool

    /// Replies are collected per received chunk and written together; past this size they are
    /// written early so one chunk of pipelined HELPs cannot pile up a large buffer.
    static let flushThreshold = 16 * 1024

    func run(inbox: ConnectionInbox, channel: any Channel, session: Session, state: ConnectionState) async {
        var outbound = ReplyOutlet(channel: channel)
        do {
            try await answer(inbox: inbox, outbound: &outbound, channel: channel, session: session, state: state)
            // The replies written last must reach the socket before the connection closes.
            try await outbound.drain()
        } catch {
            logger.debug("connection read or write failed", metadata: ["error": "\(error)"])
        }
        state.markClosing()
    }

    /// Answers each received chunk's lines until the input ends or the connection must close.
    private func answer(
        inbox: ConnectionInbox, outbound: inout ReplyOutlet, channel: any Channel,
        session: Session, state: ConnectionState
    ) async throws {
        var framer = LineFramer(limit: lineLimit)
        var sequence = 0
        while let chunk = try await inbox.next() {
            guard state.beginWork() else { return }
            var replies = ByteBuffer()
            var closing = false
            let events = framer.feed(chunk.readableBytesView)
            for event in events {
                let reply: Reply
                let commandName: String?
                let started = ContinuousClock.now
                switch await dispatcher.step(for: event, session: session) {
                case .answer(nil):
                    continue
                case .answer(let answer?):
                    reply = answer
                    commandName = nil
                case .execute(let command, let invocation):
                    if !command.answersImmediately, replies.readableBytes > 0 {
                        try await outbound.write(replies)
                        replies.clear()
                    }
                    reply = await occupancy.run(quick: command.quick, on: channel.eventLoop) {
                        await dispatcher.execute(command, invocation, session: session)
                    }
                    commandName = command.name
                }
                sequence += 1
                log(event, commandName, reply, requestID: "c\(connectionID).\(sequence)", user: session.user?.name,
                    duration: ContinuousClock.now - started)
                replies.writeString(ReplyWriter.render(reply, format: session.format))
                if reply.closesConnection {
                    closing = true
                    break
                }
                if replies.readableBytes >= Self.flushThreshold {
                    try await outbound.write(replies)
                    replies.clear()
                }
            }
            if closing {
                state.markClosing()
                try await outbound.writeAndWait(replies)
                return
            }
            if replies.readableBytes > 0 { try await outbound.write(replies) }
            if let notice = state.endWork(completedLines: !events.isEmpty) {
                try await outbound.writeAndWait(ByteBuffer(string: notice + ReplyWriter.lineEnd))
                return
            }
            // Written after this chunk's replies, so the event loop answers a later PING
            // only once they are on their way (EventLoopPingHandler).
            if pingOnEventLoop {
                state.allowEventLoopPing(textFormat: session.format == .text)
                channel.triggerUserOutboundEvent(EventLoopPingHandler.ChunkAnswered(), promise: nil)
            }
        }
    }

    /// Logs the command name and the code only: a line may hold a password (AUTH, USER ADD)
    /// or personal data (CASE NEW), so its content is never logged (CommandObserver).
    private func log(
        _ event: FrameEvent, _ commandName: String?, _ reply: Reply, requestID: String, user: String?,
        duration: Duration
    ) {
        switch event {
        case .refused(let error):
            logger.debug("line refused", metadata: ["reason": "\(error)"])
            observer.record(
                requestID: requestID, user: user, command: "(refused)", code: reply.code, duration: duration)
        case .line(let line):
            // A line refused before its handler ran is named by its first word only when that is
            // a declared command or group; an unknown first word might be a password.
            let name =
                commandName
                ?? {
                    let first = line.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() } ?? ""
                    let known = dispatcher.table.command(named: first) != nil || dispatcher.table.group(first) != nil
                    return known ? first : "(unknown)"
                }()
            observer.record(requestID: requestID, user: user, command: name, code: reply.code, duration: duration)
        }
    }
}
