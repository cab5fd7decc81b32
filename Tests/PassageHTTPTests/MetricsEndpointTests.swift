import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import PassageHTTP
import Prometheus
import Testing

/// `--metrics-listen`'s `GET /metrics`: the registry's counters in Prometheus's text format.
@Suite struct MetricsEndpointTests {
    @Test func metricsServesTheCountersInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "passage_console_commands_total", dimensions: [("command", "REFER"), ("code", "250")], factory: factory)
            .increment(by: 2)
        Meter(label: "passage_console_connections", factory: factory).increment()
        let server = MetricsServer(registry: registry, host: "127.0.0.1", port: 0)
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == MetricsServer.contentType)
            let text = String(buffer: response.body)
            #expect(text.contains("# TYPE passage_console_commands_total counter"), "\(text)")
            #expect(text.contains(#"passage_console_commands_total{command="REFER",code="250"} 2"#), "\(text)")
            #expect(text.contains("passage_console_connections 1"), "\(text)")
            // Nothing else is served there.
            #expect(try await client.execute(uri: "/", method: .get).status == .notFound)
        }
    }
}
