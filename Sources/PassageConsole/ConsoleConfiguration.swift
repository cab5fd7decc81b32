import PassageServices

/// How a console server listens and protects itself.
public struct ConsoleConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); `ConsoleServer.port` tells which.
    public var port: Int
    /// Longest request line in bytes (without its terminator).
    public var lineLimit: Int
    /// Beyond this many open connections a new one gets `421 too many connections` and is closed.
    public var maxConnections: Int
    /// A connection with no command in flight and no input for this long gets `421 idle timeout`.
    public var idleTimeout: Duration
    /// After `shutdown()`, connections still open this much later are closed without further
    /// ceremony — a client that never reads its replies must not keep the server from stopping.
    public var shutdownGracePeriod: Duration
    /// TLS on every connection when set.
    public var tls: ConsoleTLS?
    /// Event loops of the connections' own, apart from the listener's (nil: connections share
    /// the listener's group). With at least as many loops as busy connections, each connection
    /// has a loop to itself, and its quick commands run their transaction there without a
    /// hand-off to a pool thread and back (`LoopOccupancy`). `passage serve` gives one per
    /// database connection of its pool.
    public var connectionLoops: Int?
    /// A connection must sign in within this long after it opened (or after it was signed out),
    /// or it gets `421 sign-in deadline …` and is closed (Docs/security.md "3. Unauthenticated
    /// connections"). `PING` does not extend it.
    public var signInTimeout: Duration
    /// A TLS connection must finish its handshake within this long, or it is closed.
    public var tlsHandshakeTimeout: Duration
    /// Connections not signed in, in all; nil: three quarters of `maxConnections`, so the rest
    /// stays for signed-in users.
    public var maxUnauthenticated: Int?
    /// Connections not signed in from one network (IPv4 /24, IPv6 /64, loopback as one).
    public var maxUnauthenticatedPerNetwork: Int
    /// Asked every `sessionCheckInterval` which signed-in sessions' credentials have ended (a
    /// lock, password, role change or removal made anywhere, also by another process): those
    /// sessions end, idle ones with `421 session ended …`. Each command that touches the
    /// database checks its own session anyway; the sweep also reaches idle sessions and commands
    /// that need no database. nil: no sweep.
    public var sessionChecker: (any SessionCredentialsChecker)?
    public var sessionCheckInterval: Duration
    /// The one switch between `PING`'s two paths: true answers a connection's `PING` lines on its
    /// event loop whenever the connection owes no reply (`EventLoopPingHandler`); false sends every
    /// line through the command table. The reply bytes are the same either way (`PingPathTests`
    /// runs the same `PING` tests with it on and off); Docs/performance.md has the figures.
    public var pingOnEventLoop: Bool

    /// The limit on connections not signed in that applies.
    public var unauthenticatedLimit: Int {
        min(maxConnections, max(1, maxUnauthenticated ?? (maxConnections * 3 / 4)))
    }

    public init(
        host: String = "127.0.0.1", port: Int = 7411, lineLimit: Int = LineFramer.defaultLimit,
        maxConnections: Int = 256, idleTimeout: Duration = .seconds(15 * 60),
        shutdownGracePeriod: Duration = .seconds(10), tls: ConsoleTLS? = nil, connectionLoops: Int? = nil,
        signInTimeout: Duration = .seconds(30), tlsHandshakeTimeout: Duration = .seconds(10),
        maxUnauthenticated: Int? = nil, maxUnauthenticatedPerNetwork: Int = 32,
        sessionChecker: (any SessionCredentialsChecker)? = nil, sessionCheckInterval: Duration = .seconds(5),
        pingOnEventLoop: Bool = true
    ) {
        self.host = host
        self.port = port
        self.lineLimit = lineLimit
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.tls = tls
        self.connectionLoops = connectionLoops
        self.signInTimeout = signInTimeout
        self.tlsHandshakeTimeout = tlsHandshakeTimeout
        self.maxUnauthenticated = maxUnauthenticated
        self.maxUnauthenticatedPerNetwork = maxUnauthenticatedPerNetwork
        self.sessionChecker = sessionChecker
        self.sessionCheckInterval = sessionCheckInterval
        self.pingOnEventLoop = pingOnEventLoop
    }
}
