/// The lifecycle of one connection, shared by its reader, its idle watcher and server shutdown.
///
/// The point is to close only *idle* connections from the outside: a command in flight always
/// finishes and its reply is sent before a `421` notice, so a client never loses a reply to a
/// command that was applied.
actor ConnectionState {
    enum Phase: Sendable, Equatable {
        /// Waiting for input; no reply owed.
        case idle
        /// Processing received lines or writing their replies.
        case busy
        /// Closing; no more commands are started.
        case closing
    }

    private(set) var phase = Phase.idle
    private var pendingNotice: String?
    private var lastActivity: ContinuousClock.Instant
    let idleTimeout: Duration
    /// `PING`s answered on the event loop (EventLoopPingHandler) count as activity too, and
    /// that path must stop the moment the connection starts closing.
    let eventLoopPing: EventLoopPingState

    init(idleTimeout: Duration, now: ContinuousClock.Instant = .now, eventLoopPing: EventLoopPingState = EventLoopPingState()) {
        self.idleTimeout = idleTimeout
        self.lastActivity = now
        self.eventLoopPing = eventLoopPing
    }

    /// The latest activity seen by either path.
    private var latestActivity: ContinuousClock.Instant {
        guard let ping = eventLoopPing.lastActivity, ping > lastActivity else { return lastActivity }
        return ping
    }

    private func beginClosing() {
        phase = .closing
        eventLoopPing.allow(false)
    }

    /// After each chunk: the event loop may answer `PING` while the connection is open and in
    /// text format (a JSON connection's `PONG` is JSON, which only the command table writes).
    func allowEventLoopPing(textFormat: Bool) {
        eventLoopPing.allow(textFormat && phase != .closing)
    }

    /// Input arrived; false when the connection is already closing and the input must be dropped.
    /// Input alone does not restart the idle clock: see `endWork(completedLines:)`.
    func beginWork(now: ContinuousClock.Instant = .now) -> Bool {
        guard phase == .idle else { return false }
        phase = .busy
        return true
    }

    /// Replies are written. Returns a notice (`421 …`) if the connection must now close.
    /// Only input that completed a line counts as activity: a client dribbling one byte a second
    /// (slowloris) never completes a request and so is still cut at the idle timeout.
    func endWork(completedLines: Bool = true, now: ContinuousClock.Instant = .now) -> String? {
        if let notice = pendingNotice {
            beginClosing()
            return notice
        }
        if phase == .busy { phase = .idle }
        if completedLines { lastActivity = now }
        return nil
    }

    /// The connection ends on its own (QUIT, end of input, error).
    func markClosing() {
        beginClosing()
    }

    /// Asks the connection to close with `notice`. True when it was idle and is now closing, so
    /// the caller sends the notice; when busy, the reader sends it after the current replies.
    func requestClose(notice: String) -> Bool {
        switch phase {
        case .idle:
            beginClosing()
            return true
        case .busy:
            if pendingNotice == nil { pendingNotice = notice }
            return false
        case .closing:
            return false
        }
    }

    /// When the idle timeout would next expire. While busy the clock does not run.
    func idleDeadline(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant {
        phase == .busy ? now + idleTimeout : latestActivity + idleTimeout
    }

    /// True (and now closing) when idle for at least the timeout.
    func closeIfIdleExpired(now: ContinuousClock.Instant = .now) -> Bool {
        guard phase == .idle, now >= latestActivity + idleTimeout else { return false }
        beginClosing()
        return true
    }
}
