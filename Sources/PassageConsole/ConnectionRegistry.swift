import NIOCore
import PassageServices

/// The open connections of a server: enforces the connection limits and reaches every
/// connection at shutdown and for the session sweep.
actor ConnectionRegistry {
    enum Admission: Sendable {
        case admitted(id: Int, state: ConnectionState, session: Session)
        case refused(notice: String)
    }

    static let tooMany = "421 too many connections"
    static let shuttingDown = "421 shutting down"
    static let idleTimeout = "421 idle timeout"
    static let sessionEnded = "421 session ended: the account was locked, removed or changed; sign in again"
    static func signInDeadline(_ deadline: Duration) -> String {
        "421 sign-in deadline: no successful AUTH within \(deadline.components.seconds) s"
    }

    private let maxConnections: Int
    private let idleTimeout: Duration
    let unauthenticated: UnauthenticatedConnections
    private var connections: [Int: Entry] = [:]
    private var nextID = 1
    private(set) var isShuttingDown = false

    struct Entry: Sendable {
        let state: ConnectionState
        let channel: any Channel
        let session: Session
    }

    init(maxConnections: Int, idleTimeout: Duration, unauthenticated: UnauthenticatedConnections) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.unauthenticated = unauthenticated
    }

    var count: Int { connections.count }

    /// A new connection: within the global limit, and within the limits on connections that are
    /// not signed in (every new connection is one), in all and from its network.
    func admit(_ channel: any Channel, source: String, eventLoopPing: EventLoopPingState = EventLoopPingState())
        -> Admission
    {
        if isShuttingDown { return .refused(notice: Self.shuttingDown) }
        guard connections.count < maxConnections else { return .refused(notice: Self.tooMany) }
        let place: UnauthenticatedConnections.Place
        switch unauthenticated.admit(source: source) {
        case .success(let admitted): place = admitted
        case .failure(let refusal): return .refused(notice: refusal.notice)
        }
        let id = nextID
        nextID += 1
        let state = ConnectionState(idleTimeout: idleTimeout, eventLoopPing: eventLoopPing)
        let session = Session(source: source, place: place)
        connections[id] = Entry(state: state, channel: channel, session: session)
        return .admitted(id: id, state: state, session: session)
    }

    func remove(_ id: Int) {
        connections.removeValue(forKey: id)?.session.connectionClosed()
    }

    /// Every channel still open (for the forced close at the end of the grace period).
    func openChannels() -> [any Channel] {
        connections.values.map(\.channel)
    }

    /// The connections whose session is signed in with store credentials (for the sweep).
    func signedIn() -> [(entry: Entry, credentials: SessionCredentials)] {
        connections.values.compactMap { entry in entry.session.user?.credentials.map { (entry, $0) } }
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
