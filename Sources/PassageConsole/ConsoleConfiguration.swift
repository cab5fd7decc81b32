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

    public init(host: String = "127.0.0.1", port: Int = 7411, lineLimit: Int = LineFramer.defaultLimit,
                maxConnections: Int = 256, idleTimeout: Duration = .seconds(15 * 60),
                shutdownGracePeriod: Duration = .seconds(10), tls: ConsoleTLS? = nil, connectionLoops: Int? = nil) {
        self.host = host
        self.port = port
        self.lineLimit = lineLimit
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.tls = tls
        self.connectionLoops = connectionLoops
    }
}
