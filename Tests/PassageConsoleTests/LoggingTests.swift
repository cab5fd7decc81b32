import Foundation
import Logging
import Testing

@testable import PassageConsole

/// Collects everything logged, to check what never gets logged.
final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    func append(_ entry: String) {
        lock.withLock { entries.append(entry) }
    }

    var text: String {
        lock.withLock { entries.joined(separator: "\n") }
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: LogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append(
            "\(event.level) \(event.message) "
                + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

@Suite(.timeLimit(.minutes(1))) struct LoggingTests {
    @Test func linesArePasswordsAndPersonalDataAreNeverLogged() async throws {
        let sink = LogSink()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: sink) }
        let server = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0),
            commands: ConsoleCommands.table(FakeServices.echoing()),
            logger: logger)
        async let running: Void = server.run()
        try await ConsoleClient.withConnection(port: server.port) { client in
            _ = try await client.request(#"AUTH cara "c0rrect horse""#)
            _ = try await client.request("CASE NEW ref=Fatima-Haddad age=34")
            _ = try await client.request("hunter2-typed-as-a-command")
            _ = try await client.request("AUTH adm adm")
            _ = try await client.request("USER ADD bob caseworker s3cret-pass")
        }
        server.shutdown()
        try await running
        let logged = sink.text
        // The log is not empty: commands are recorded by name and code.
        #expect(logged.contains("command=AUTH"))
        #expect(logged.contains("command=CASE NEW"))
        #expect(logged.contains("command=USER ADD"))
        #expect(logged.contains("command=(unknown)"))
        for secret in ["c0rrect", "Fatima", "hunter2", "s3cret"] {
            #expect(!logged.contains(secret), "\(secret) was logged")
        }
    }
}
