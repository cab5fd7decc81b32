import Foundation
import PassageConsole
import TestSupport
import Testing

/// Issue 16, item 12: TLS 1.2 offered static-RSA key exchange (no forward secrecy: a stolen key
/// decrypts every recorded session) and CBC suites with SHA-1 MACs. Only ECDHE with an AEAD
/// cipher is accepted now; TLS 1.3 (AEAD by design) still works, TLS 1.0 and 1.1 stay refused.
/// The client is the openssl command, which offers exactly the suite it is told to.
@Suite("TLS cipher suites of the console", .serialized)
struct TLSCipherTests {
    /// Whether `openssl s_client` completes a handshake with `arguments` (a protocol and suite).
    static func handshake(port: Int, _ arguments: [String]) async throws -> (Bool, String) {
        let (status, output) = try await PythonCheck.runProgram(
            "/usr/bin/env", ["openssl", "s_client", "-connect", "127.0.0.1:\(port)"] + arguments)
        return (status == 0 && output.contains("Cipher is") && !output.contains("Cipher is (NONE)"), output)
    }

    @Test("static RSA and CBC suites are refused; ECDHE with AES-GCM or ChaCha20-Poly1305, and TLS 1.3, are accepted")
    func onlyForwardSecretAEADSuites() async throws {
        let files = try await TLSTests.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let tls = try ConsoleTLS.server(certificateFile: files.certificate, keyFile: files.key)
        try await withServer(ConsoleConfiguration(port: 0, tls: tls)) { server in
            // SECLEVEL=0 lets this openssl offer the old suites at all; the server must refuse them.
            for suite in [
                "AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA",
                "ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384",
            ] {
                let (accepted, output) = try await Self.handshake(
                    port: server.port, ["-tls1_2", "-cipher", suite + ":@SECLEVEL=0"])
                #expect(!accepted, "TLS 1.2 \(suite) was accepted:\n\(output)")
            }
            for suite in ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"] {
                let (accepted, output) = try await Self.handshake(port: server.port, ["-tls1_2", "-cipher", suite])
                #expect(accepted, "TLS 1.2 \(suite) was refused:\n\(output)")
            }
            let (modern, output) = try await Self.handshake(port: server.port, ["-tls1_3"])
            #expect(modern, "TLS 1.3 was refused:\n\(output)")
            for old in ["-tls1", "-tls1_1"] {
                let (accepted, output) = try await Self.handshake(
                    port: server.port, [old, "-cipher", "DEFAULT:@SECLEVEL=0"])
                #expect(!accepted, "\(old) was accepted:\n\(output)")
            }
        }
    }
}
