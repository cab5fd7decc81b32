import Logging
import Metrics
import NIOCore
import NIOPosix
import PassageCore

/// The console's TCP server: one task per connection, one command at a time per connection,
/// replies in request order.
///
/// Memory stays bounded for a client that sends without reading: reads are handed over through
/// a back-pressured inbox (`ConnectionInbox`: NIO stops reading the socket when the connection
/// task falls behind), the task runs one command at a time, and a write suspends it while the
/// socket's send buffer is full (`ReplyOutlet`). The peer's TCP window does the rest.
public final class ConsoleServer: Sendable {
    public let configuration: ConsoleConfiguration
    /// The port actually bound (differs from the configuration when that asked for 0).
    public let port: Int

    private let dispatcher: CommandDispatcher
    private let serverChannel: NIOAsyncChannel<AcceptedConnection, Never>
    private let registry: ConnectionRegistry
    private let occupancy: LoopOccupancy
    /// The connections' own loops when the configuration asks for them (`connectionLoops`).
    private let connectionGroup: MultiThreadedEventLoopGroup?
    private let logger: Logger
    private let observer: CommandObserver
    private let connections: Meter

    private init(
        configuration: ConsoleConfiguration, port: Int, dispatcher: CommandDispatcher,
        serverChannel: NIOAsyncChannel<AcceptedConnection, Never>, occupancy: LoopOccupancy,
        connectionGroup: MultiThreadedEventLoopGroup?, logger: Logger, observer: CommandObserver
    ) {
        self.configuration = configuration
        self.port = port
        self.dispatcher = dispatcher
        self.serverChannel = serverChannel
        self.registry = ConnectionRegistry(
            maxConnections: configuration.maxConnections, idleTimeout: configuration.idleTimeout,
            unauthenticated: UnauthenticatedConnections(
                limit: configuration.unauthenticatedLimit,
                perNetwork: configuration.maxUnauthenticatedPerNetwork))
        self.occupancy = occupancy
        self.connectionGroup = connectionGroup
        self.logger = logger
        self.observer = observer
        self.connections = observer.connections()
    }

    /// Binds the listening socket on `eventLoopGroup`; call `run()` to serve. Connections are
    /// served on the same group, or on loops of their own (`ConsoleConfiguration.connectionLoops`).
    /// Commands and connections are counted through `metrics` (the process's `MetricsSystem` unless
    /// a test gives its own).
    public static func bind(
        configuration: ConsoleConfiguration, commands: CommandTable,
        logger: Logger = Logger(label: "passage.console"),
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) async throws -> ConsoleServer {
        let connectionGroup = configuration.connectionLoops.map {
            MultiThreadedEventLoopGroup(numberOfThreads: max(1, $0))
        }
        do {
            return try await bind(
                configuration: configuration, commands: commands,
                observer: CommandObserver(logger: logger, factory: metrics),
                eventLoopGroup: eventLoopGroup, connectionGroup: connectionGroup)
        } catch {
            try? await connectionGroup?.shutdownGracefully()
            throw error
        }
    }

    private static func bind(
        configuration: ConsoleConfiguration, commands: CommandTable, observer: CommandObserver,
        eventLoopGroup: MultiThreadedEventLoopGroup, connectionGroup: MultiThreadedEventLoopGroup?
    ) async throws -> ConsoleServer {
        let logger = observer.logger
        let eventLoopPings = observer.eventLoopPings()
        let channel = try await ServerBootstrap(group: eventLoopGroup, childGroup: connectionGroup ?? eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // `printf 'PING\r\n' | nc -N host 7411` ends its input before reading: without this
            // NIO would close the whole connection at that EOF and drop the replies still owed.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = configuration.tls {
                        try tls.addServerHandler(to: channel)
                        try channel.pipeline.syncOperations.addHandler(
                            TLSHandshakeDeadline(configuration.tlsHandshakeTimeout))
                    }
                    let ping = EventLoopPingState()
                    if configuration.pingOnEventLoop {
                        try channel.pipeline.syncOperations.addHandler(EventLoopPingHandler(shared: ping, answered: eventLoopPings))
                    }
                    let inbox = ConnectionInbox(channel: channel)
                    try channel.pipeline.syncOperations.addHandler(ConnectionInboxHandler(inbox: inbox))
                    return AcceptedConnection(channel: channel, inbox: inbox, eventLoopPing: ping)
                }
            }
        let port = channel.channel.localAddress?.port ?? configuration.port
        logger.info("console listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        let occupancy = LoopOccupancy()
        occupancy.enter(channel.channel.eventLoop)  // the listener: a connection beside it is not alone
        return ConsoleServer(
            configuration: configuration, port: port,
            dispatcher: CommandDispatcher(table: commands, logger: logger),
            serverChannel: channel, occupancy: occupancy, connectionGroup: connectionGroup, logger: logger,
            observer: observer)
    }

    /// Serves until `shutdown()`; returns once every connection has closed.
    public func run() async throws {
        let sweep = configuration.sessionChecker.map { checker in
            Task { [registry, logger, configuration] in
                await SessionSweep.run(
                    registry: registry, checker: checker, every: configuration.sessionCheckInterval, logger: logger)
            }
        }
        defer { sweep?.cancel() }
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await accepted in inbound {
                    // The host alone: limits and throttling apply per address, whatever the port.
                    let source = accepted.channel.remoteAddress?.ipAddress ?? "unknown"
                    switch await registry.admit(accepted.channel, source: source, eventLoopPing: accepted.eventLoopPing)
                    {
                    case .admitted(let id, let state, let session):
                        let loop = accepted.channel.eventLoop
                        occupancy.enter(loop)
                        // On the connection's own event loop: EventLoopTaskExecutor says why.
                        group.addTask(executorPreference: EventLoopTaskExecutor(loop)) {
                            await self.serve(accepted, id: id, state: state, session: session)
                            self.occupancy.leave(loop)
                            await self.registry.remove(id)
                        }
                    case .refused(let notice):
                        logger.notice("connection refused", metadata: ["reason": "\(notice)"])
                        group.addTask { await Self.sendNoticeAndClose(accepted.channel, notice) }
                    }
                }
            }
        }
        try? await connectionGroup?.shutdownGracefully()
        logger.info("console stopped")
    }

    /// Graceful shutdown: stop accepting, let commands in flight finish and answer, tell idle
    /// connections `421 shutting down`, close. Connections still open after the configured grace
    /// period (a client that never reads its replies) are closed. `run()` returns when all is closed.
    public func shutdown() {
        logger.info("console shutting down")
        serverChannel.channel.close(promise: nil)
        let registry = self.registry
        let grace = configuration.shutdownGracePeriod
        let logger = self.logger
        Task {
            for channel in await registry.beginShutdown() {
                await Self.sendNoticeAndClose(channel, ConnectionRegistry.shuttingDown)
            }
            try? await Task.sleep(for: grace)
            let stragglers = await registry.openChannels()
            if !stragglers.isEmpty {
                logger.notice(
                    "closing connections still open after the grace period",
                    metadata: ["count": "\(stragglers.count)"])
            }
            for channel in stragglers { channel.close(promise: nil) }
        }
    }

    /// Open connections now (for tests and status).
    public var connectionCount: Int {
        get async { await registry.count }
    }

    /// Writes the last line straight to the channel and waits until it reached the socket, then
    /// closes without letting a reset destroy it (`LingeringClose`).
    static func sendNoticeAndClose(_ channel: any Channel, _ notice: String) async {
        try? await channel.writeAndFlush(ByteBuffer(string: notice + ReplyWriter.lineEnd))
        LingeringClose.close(channel)
    }

    private func serve(_ connection: AcceptedConnection, id: Int, state: ConnectionState, session: Session) async {
        let channel = connection.channel
        let address = channel.remoteAddress
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(Self.describe(address))"
        logger.debug("connection opened")
        connections.increment()
        defer { connections.decrement() }
        channel.writeAndFlush(ByteBuffer(string: "220 passage \(PassageVersion.current) ready\r\n"), promise: nil)
        if configuration.pingOnEventLoop {
            channel.triggerUserOutboundEvent(EventLoopPingHandler.ChunkAnswered(), promise: nil)
        }
        let reader = ConnectionReader(
            dispatcher: dispatcher, lineLimit: configuration.lineLimit, logger: logger,
            connectionID: id, observer: CommandObserver(logger: logger, factory: observer.factory), occupancy: occupancy, pingOnEventLoop: configuration.pingOnEventLoop)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await reader.run(inbox: connection.inbox, channel: channel, session: session, state: state)
            }
            group.addTask { await Self.watchIdle(state, channel: channel) }
            let signInTimeout = configuration.signInTimeout
            group.addTask { await Self.watchSignIn(session, state, channel: channel, within: signInTimeout) }
            await group.next()
            group.cancelAll()
        }
        LingeringClose.close(channel)
        logger.debug("connection closed")
    }

    /// Closes the connection with `421 idle timeout` once it has been idle long enough.
    private static func watchIdle(_ state: ConnectionState, channel: any Channel) async {
        while !Task.isCancelled {
            let deadline = state.idleDeadline()
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return
            }
            if state.closeIfIdleExpired() {
                await sendNoticeAndClose(channel, ConnectionRegistry.idleTimeout)
                return
            }
        }
    }

    /// Closes the connection with `421 sign-in deadline …` when it has not signed in within
    /// `timeout` of opening (or of being signed out). Absolute: neither `PING` nor failed AUTHs
    /// extend it, so a stranger cannot hold a place by talking. A command in flight (an AUTH that
    /// may yet succeed) is waited for.
    private static func watchSignIn(
        _ session: Session, _ state: ConnectionState, channel: any Channel,
        within timeout: Duration
    ) async {
        while !Task.isCancelled {
            let deadline = (session.unauthenticatedSince ?? .now) + timeout
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return
            }
            guard let since = session.unauthenticatedSince, since + timeout <= .now else { continue }
            if state.phase == .busy {
                do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
                continue
            }
            if state.requestClose(notice: ConnectionRegistry.signInDeadline(timeout)) {
                await sendNoticeAndClose(channel, ConnectionRegistry.signInDeadline(timeout))
            }
            return
        }
    }

    /// One accepted socket: its channel, the inbox its pipeline fills, and what it shares with
    /// its event-loop `PING` path.
    struct AcceptedConnection: Sendable {
        let channel: any Channel
        let inbox: ConnectionInbox
        let eventLoopPing: EventLoopPingState
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress else { return "unknown" }
        return address.protocol == .inet6 ? "[\(ip)]:\(address.port ?? 0)" : "\(ip):\(address.port ?? 0)"
    }
}
