import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Runs the API on its own port (`passage serve --http-port`): HTTP/1.1 in the clear on
/// loopback, or TLS with HTTP/2 and HTTP/1.1 negotiated by ALPN, with the console's TLS
/// settings (ConsoleTLS.configuration: TLS 1.2+, forward-secret AEAD suites).
public struct HTTPServer: Sendable {
    public let api: PassageAPI
    public let host: String
    public let port: Int
    public let tls: TLSConfiguration?

    public init(api: PassageAPI, host: String, port: Int, tls: TLSConfiguration?) {
        self.api = api
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Serves until the task is cancelled, then shuts down gracefully (requests in flight are
    /// answered, idle connections closed); `onBound` gets the port actually bound (port 0 in
    /// tests picks a free one).
    public func run(logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let configuration = ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: nil)
        let server: HTTPServerBuilder
        if let tls {
            var settings = tls
            settings.applicationProtocols = ["h2", "http/1.1"]
            server = try .http2Upgrade(tlsConfiguration: settings)
        } else {
            server = .http1()
        }
        let app = Application(
            router: api.router(), server: server, configuration: configuration,
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        // The group runs in a task of its own, so the caller's cancellation reaches it only as
        // a graceful shutdown, not as a cancellation that drops requests in flight.
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
