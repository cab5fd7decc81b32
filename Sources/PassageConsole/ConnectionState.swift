import Synchronization

/// The lifecycle of one connection, shared by its reader, its idle watcher and server shutdown.
///
/// The point is to close only *idle* connections from the outside: a command in flight always
/// finishes and its reply is sent before a `421` notice, so a client never loses a reply to a
/// command that was applied.
///
/// A lock rather than an actor: the reader touches it several times per received chunk, and an
/// actor hop there cost a suspension on every request's path (Docs/performance.md "REFER").
final class ConnectionState: Sendable {
    enum Phase: Sendable, Equatable {
        /// Waiting for input; no reply owed.
        case idle
        /// Processing received lines or writing their replies.
        case busy
        /// Closing; no more commands are started.
        case closing
    }

    private struct Fields {
        var phase = Phase.idle
        var pendingNotice: String?
        var lastActivity: ContinuousClock.Instant
    }

    private let fields: Mutex<Fields>
    let idleTimeout: Duration
    /// `PING`s answered on the event loop (EventLoopPingHandler) count as activity too, and
    /// that path must stop the moment the connection starts closing.
    let eventLoopPing: EventLoopPingState

    init(
        idleTimeout: Duration, now: ContinuousClock.Instant = .now,
        eventLoopPing: EventLoopPingState = EventLoopPingState()
    ) {
        self.idleTimeout = idleTimeout
        self.fields = Mutex(Fields(lastActivity: now))
        self.eventLoopPing = eventLoopPing
    }

    /// Where the connection is in its lifecycle.
    var phase: Phase { fields.withLock { $0.phase } }

    /// The latest activity seen by either path.
    private func latestActivity(_ fields: Fields) -> ContinuousClock.Instant {
        guard let ping = eventLoopPing.lastActivity, ping > fields.lastActivity else { return fields.lastActivity }
        return ping
    }

    private func beginClosing(_ fields: inout Fields) {
        fields.phase = .closing
        eventLoopPing.allow(false)
    }

    /// After each chunk: the event loop may answer `PING` while the connection is open and in
    /// text format (a JSON connection's `PONG` is JSON, which only the command table writes).
    func allowEventLoopPing(textFormat: Bool) {
        fields.withLock { eventLoopPing.allow(textFormat && $0.phase != .closing) }
    }

    /// Input arrived; false when the connection is already closing and the input must be dropped.
    /// Input alone does not restart the idle clock: see `endWork(completedLines:)`.
    func beginWork(now: ContinuousClock.Instant = .now) -> Bool {
        fields.withLock {
            guard $0.phase == .idle else { return false }
            $0.phase = .busy
            return true
        }
    }

    /// Replies are written. Returns a notice (`421 …`) if the connection must now close.
    /// Only input that completed a line counts as activity: a client dribbling one byte a second
    /// (slowloris) never completes a request and so is still cut at the idle timeout.
    func endWork(completedLines: Bool = true, now: ContinuousClock.Instant = .now) -> String? {
        fields.withLock {
            if let notice = $0.pendingNotice {
                beginClosing(&$0)
                return notice
            }
            if $0.phase == .busy { $0.phase = .idle }
            if completedLines { $0.lastActivity = now }
            return nil
        }
    }

    /// The connection ends on its own (QUIT, end of input, error).
    func markClosing() {
        fields.withLock { beginClosing(&$0) }
    }

    /// Asks the connection to close with `notice`. True when it was idle and is now closing, so
    /// the caller sends the notice; when busy, the reader sends it after the current replies.
    func requestClose(notice: String) -> Bool {
        fields.withLock {
            switch $0.phase {
            case .idle:
                beginClosing(&$0)
                return true
            case .busy:
                if $0.pendingNotice == nil { $0.pendingNotice = notice }
                return false
            case .closing:
                return false
            }
        }
    }

    /// When the idle timeout would next expire. While busy the clock does not run.
    func idleDeadline(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant {
        fields.withLock { $0.phase == .busy ? now + idleTimeout : latestActivity($0) + idleTimeout }
    }

    /// True (and now closing) when idle for at least the timeout.
    func closeIfIdleExpired(now: ContinuousClock.Instant = .now) -> Bool {
        fields.withLock {
            guard $0.phase == .idle, now >= latestActivity($0) + idleTimeout else { return false }
            beginClosing(&$0)
            return true
        }
    }
}
