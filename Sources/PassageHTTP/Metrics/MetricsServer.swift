import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// `passage serve --metrics-listen`: `GET /metrics` in Prometheus's text format, on a listener
/// of its own. Not on the public HTTP port: the counters tell who is busy with what, and a
/// scraper on the same host (or a tunnel) needs nothing more. Plain HTTP, no sign-in: the
/// address is loopback unless the operator says otherwise (`--insecure`).
public struct MetricsServer: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let host: String
    public let port: Int

    public init(registry: PrometheusCollectorRegistry, host: String, port: Int) {
        self.registry = registry
        self.host = host
        self.port = port
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            var fields = HTTPFields()
            fields[.contentType] = Self.contentType
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return router
    }

    /// Serves until the task is cancelled; `onBound` gets the port actually bound.
    public func run(logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let app = Application(
            router: router(), configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
