import Foundation
import NIOCore
import NIOPosix
import PassageConsole
import TestSupport
import Testing

@Suite("TLS on the console")
struct TLSTests {
    /// A throwaway self-signed certificate for 127.0.0.1, made with the openssl command.
    static func makeCertificate() async throws -> (directory: String, certificate: String, key: String) {
        let directory = NSTemporaryDirectory() + "passage-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let status = try await offThePool { () throws -> Int32 in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=passage-test", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key, "-out", certificate,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(status == 0, "openssl could not make a test certificate")
        return (directory, certificate, key)
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
