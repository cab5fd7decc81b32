import NIOCore

/// The open connections of a server: enforces the connection limit and reaches every
/// connection at shutdown.
actor ConnectionRegistry {
    enum Admission: Sendable {
        case admitted(id: Int, state: ConnectionState)
        case refused(notice: String)
    }

    static let tooMany = "421 too many connections"
    static let shuttingDown = "421 shutting down"
    static let idleTimeout = "421 idle timeout"

    private let maxConnections: Int
    private let idleTimeout: Duration
    private var connections: [Int: (state: ConnectionState, channel: any Channel)] = [:]
    private var nextID = 1
    private(set) var isShuttingDown = false

    init(maxConnections: Int, idleTimeout: Duration) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    var count: Int { connections.count }

    func admit(_ channel: any Channel, eventLoopPing: EventLoopPingState = EventLoopPingState()) -> Admission {
        if isShuttingDown { return .refused(notice: Self.shuttingDown) }
        guard connections.count < maxConnections else { return .refused(notice: Self.tooMany) }
        let id = nextID
        nextID += 1
        let state = ConnectionState(idleTimeout: idleTimeout, eventLoopPing: eventLoopPing)
        connections[id] = (state, channel)
        return .admitted(id: id, state: state)
    }

    func remove(_ id: Int) {
        connections[id] = nil
    }

    /// Every channel still open (for the forced close at the end of the grace period).
    func openChannels() -> [any Channel] {
        connections.values.map(\.channel)
    }

    /// Stops admitting; returns the idle connections' channels, now marked closing, which the
    /// caller notifies and closes. Busy ones will send the notice themselves when done.
    func beginShutdown() async -> [any Channel] {
        isShuttingDown = true
        var idle: [any Channel] = []
        for (_, entry) in connections where entry.state.requestClose(notice: Self.shuttingDown) {
            idle.append(entry.channel)
        }
        return idle
    }
}
