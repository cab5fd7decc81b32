import Foundation

/// A throwaway self-signed certificate for 127.0.0.1, made with the openssl command: what the
/// console's and the HTTP API's TLS tests serve with.
public enum TestCertificate {
    public static func make() async throws -> (directory: String, certificate: String, key: String) {
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
        guard status == 0 else { throw TestCertificateError() }
        return (directory, certificate, key)
    }
}

struct TestCertificateError: Error, CustomStringConvertible {
    var description: String { "openssl could not make a test certificate" }
}
