import Foundation
import Logging
import PassageConsole
import PassageHTTP
import Synchronization
import TestSupport
import Testing

/// The API on a real socket, as `passage serve` runs it: HTTP/1.1 in the clear, and with TLS
/// both HTTP/2 and HTTP/1.1 negotiated by ALPN (issue 20), with the console's TLS settings.
/// Driven by curl, a client that is not ours.
@Suite struct HTTPListenerTests {
    /// curl's `%{http_version}` of GET /healthz, and its body.
    static func curl(_ arguments: [String]) async throws -> (version: String, body: String) {
        let result = try await PythonCheck.runProgram(
            "/usr/bin/env", ["curl", "-sS", "--max-time", "20", "-w", "\n%{http_version}"] + arguments)
        #expect(result.status == 0, "curl failed: \(result.output)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    /// Runs `server` until `body` is done; `body` gets the bound port.
    static func serving(_ server: HTTPServer, _ body: @Sendable (Int) async throws -> Void) async throws {
        let bound = Mutex<Int?>(nil)
        let task = Task {
            try await server.run(logger: Logger(label: "test.http")) { port in bound.withLock { $0 = port } }
        }
        defer { task.cancel() }
        var port: Int?
        for _ in 0..<500 where port == nil {
            port = bound.withLock { $0 }
            if port == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let listening = try #require(port, "the HTTP server did not start")
        try await body(listening)
        task.cancel()
        _ = await task.result
    }

    @Test func plainListenerSpeaksHTTP1() async throws {
        try await HTTPFixture.with { fixture, _ in
            let api = PassageAPI(
                services: fixture.services, settings: HTTPSettings(), version: "t", readiness: { true })
            try await Self.serving(HTTPServer(api: api, host: "127.0.0.1", port: 0, tls: nil)) { port in
                let answer = try await Self.curl(["http://127.0.0.1:\(port)/healthz"])
                #expect(answer.version == "1.1")
                #expect(answer.body == "ok\n")
            }
        }
    }

    @Test func tlsListenerNegotiatesHTTP2AndHTTP1() async throws {
        let files = try await TestCertificate.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let tls = try ConsoleTLS.server(certificateFile: files.certificate, keyFile: files.key)
        try await HTTPFixture.with { fixture, _ in
            let api = PassageAPI(
                services: fixture.services, settings: HTTPSettings(secure: true), version: "t", readiness: { true })
            try await Self.serving(HTTPServer(api: api, host: "127.0.0.1", port: 0, tls: tls.configuration)) { port in
                let url = "https://127.0.0.1:\(port)/healthz"
                let two = try await Self.curl(["--cacert", files.certificate, "--http2", url])
                #expect(two.version == "2")
                #expect(two.body == "ok\n")
                let one = try await Self.curl(["--cacert", files.certificate, "--http1.1", url])
                #expect(one.version == "1.1")
                // The console's policy: nothing below TLS 1.2.
                let old = try await PythonCheck.runProgram(
                    "/usr/bin/env", ["curl", "-sS", "--cacert", files.certificate, "--tls-max", "1.1", url])
                #expect(old.status != 0)
            }
        }
    }
}
