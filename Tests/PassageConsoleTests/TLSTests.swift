import Foundation
import NIOCore
import NIOPosix
import PassageConsole
import TestSupport
import Testing

@Suite("TLS on the console")
struct TLSTests {
    /// A throwaway self-signed certificate for 127.0.0.1 (TestSupport).
    static func makeCertificate() async throws -> (directory: String, certificate: String, key: String) {
        try await TestCertificate.make()
    }

    @Test("a TLS console answers a client that trusts its certificate; a plain-text client gets no greeting")
    func tlsConsole() async throws {
        let files = try await Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let tls = try ConsoleTLS.server(certificateFile: files.certificate, keyFile: files.key)
        try await withServer(ConsoleConfiguration(port: 0, tls: tls)) { server in
            let trusting = try ConsoleTLS.client(trustFile: files.certificate, checkHostname: false)
            try await ConsoleClient.withConnection(port: server.port, tls: trusting) {
                (client: ConsoleClient) async throws -> Void in
                #expect(client.greeting.code == 220)
                #expect(try await client.request("PING").text == "PONG")
            }
            // Without TLS the bytes on the wire are a TLS handshake, never the console's greeting.
            let plain = try await TestClient.with(port: server.port) { (client: TestClient) async throws -> String? in
                try await client.send("PING\r\n")
                return try await client.readLine()
            }
            #expect(plain?.hasPrefix("220") != true)
        }
    }

    @Test("bad certificate or key files are refused with the option named")
    func badFiles() async throws {
        let files = try await Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        #expect(throws: ConsoleTLS.Problem.self) {
            try ConsoleTLS.server(certificateFile: files.key, keyFile: files.key)
        }
        do {
            _ = try ConsoleTLS.server(certificateFile: files.certificate, keyFile: files.certificate)
            Issue.record("a certificate was accepted as a private key")
        } catch let problem as ConsoleTLS.Problem {
            #expect(problem.description.hasPrefix("--tls-key"))
        }
    }
}
