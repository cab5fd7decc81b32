import Foundation
import Logging
import PassageServices
import Prometheus
import Testing

@testable import PassageConsole

/// Every console command: one log line with its request id, user, name, code and duration, and
/// one increment of `passage_console_commands_total` (Docs/operations.md "Logs and metrics").
@Suite(.timeLimit(.minutes(1))) struct CommandObservationTests {
    static func objects(_ sink: LogSink) throws -> [[String: Any]] {
        try sink.text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    @Test func aCommandIsOneLogLineWithItsFieldsAndOneCount() async throws {
        let sink = LogSink()
        let logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, level: .info, output: LogOutput { sink.append(String($0.dropLast())) })
        }
        let registry = PrometheusCollectorRegistry()
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0), commands: ConsoleCommands.table(FakeServices.echoing()),
            logger: logger, metrics: PrometheusMetricsFactory(registry: registry))
        async let running: Void = server.run()
        let (signIn, created) = try await ConsoleClient.withConnection(port: server.port) { client in
            (try await client.request(#"AUTH cara "c0rrect horse""#), try await client.request("CASE NEW ref=Fatima-Haddad age=34"))
        }
        server.shutdown()
        try await running

        let commands = try Self.objects(sink).filter { $0["message"] as? String == "command" }
        #expect(commands.count == 2, "\(sink.text)")
        let auth = try #require(commands.first { $0["command"] as? String == "AUTH" })
        #expect(auth["code"] as? String == "\(signIn.code)")
        #expect(auth["request_id"] as? String == "c1.1")
        let line = try #require(commands.first { $0["command"] as? String == "CASE NEW" })
        #expect(line["request_id"] as? String == "c1.2")
        #expect(line["user"] as? String == "cara")
        #expect(line["code"] as? String == "\(created.code)")
        #expect(line["level"] as? String == "info")
        let duration = try #require((line["duration_ms"] as? String).flatMap(Double.init))
        #expect(duration >= 0)
        // Before sign-in there is no user; the AUTH line only has one once it succeeded.
        #expect(signIn.code == 250 ? auth["user"] as? String == "cara" : auth["user"] == nil)
        #expect(!sink.text.contains("Fatima") && !sink.text.contains("c0rrect"))

        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let metrics = String(decoding: bytes, as: UTF8.self)
        #expect(
            metrics.contains(#"passage_console_commands_total{command="CASE NEW",code="\#(created.code)"} 1"#),
            "\(metrics)")
        #expect(metrics.contains(#"passage_console_command_duration_seconds_count{command="CASE NEW"} 1"#))
        // The connection was counted open and closed again.
        #expect(metrics.contains("passage_console_connections 0"))
        #expect(!metrics.contains("Fatima"))
    }

    @Test func aPingOnTheEventLoopIsCountedNotLogged() async throws {
        let sink = LogSink()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: sink) }
        let registry = PrometheusCollectorRegistry()
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0), commands: ConsoleCommands.table(FakeServices.echoing()),
            logger: logger, metrics: PrometheusMetricsFactory(registry: registry))
        async let running: Void = server.run()
        let codes = try await ConsoleClient.withConnection(port: server.port) { client in
            var codes: [Int] = []
            for _ in 0..<3 { codes.append(try await client.request("PING").code) }
            return codes
        }
        #expect(codes == [250, 250, 250])
        server.shutdown()
        try await running
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let metrics = String(decoding: bytes, as: UTF8.self)
        // Whichever path answered each PING (the event loop, or the task when a reply was owed).
        #expect(metrics.contains(#"passage_console_commands_total{command="PING",code="250"} 3"#), "\(metrics)")
        #expect(!sink.text.contains("info command"), "\(sink.text)")
    }
}
