import NIOCore
import NIOSSL

/// TLS for the console (swift-nio-ssl). The console carries personal data and passwords, so a
/// server that listens beyond loopback must use it; `passage serve` refuses otherwise.
public struct ConsoleTLS: Sendable {
    let context: NIOSSLContext
    /// The same settings, for the HTTP API's listener (`passage serve --http-port`): one TLS
    /// policy for both interfaces.
    public let configuration: TLSConfiguration

    public enum Problem: Error, CustomStringConvertible, Sendable {
        case unreadable(option: String, path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let option, let path, let reason): "\(option): cannot use \(path): \(reason)"
            }
        }
    }

    /// The TLS 1.2 suites offered and accepted: ECDHE key exchange only (a stolen server key must
    /// not decrypt recorded sessions, as static RSA lets it) and AEAD ciphers only (no CBC with
    /// SHA-1 or SHA-2 MACs, the home of padding-oracle attacks). TLS 1.3 suites are not set here:
    /// they are all ECDHE and AEAD by design.
    static let forwardSecretAEADSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The server's identity: a PEM certificate chain (leaf first) and its PEM private key.
    public static func server(certificateFile: String, keyFile: String) throws -> ConsoleTLS {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateFile) } catch {
            throw Problem.unreadable(
                option: "--tls-cert", path: certificateFile, reason: "not a PEM certificate file (\(error))")
        }
        guard !chain.isEmpty else {
            throw Problem.unreadable(option: "--tls-cert", path: certificateFile, reason: "no certificate in it")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw Problem.unreadable(
                option: "--tls-key", path: keyFile, reason: "not a PEM private key file (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = forwardSecretAEADSuites
        do {
            return ConsoleTLS(context: try NIOSSLContext(configuration: configuration), configuration: configuration)
        } catch {
            throw Problem.unreadable(
                option: "--tls-key", path: keyFile, reason: "does not match the certificate (\(error))")
        }
    }

    /// A client that trusts the certificates in `trustFile` (PEM: the server's own certificate or
    /// its CA), or the system's roots when nil. Hostnames are checked unless the host is an IP
    /// address, for which the trusted certificate itself is the check.
    public static func client(trustFile: String?, checkHostname: Bool) throws -> ConsoleTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = forwardSecretAEADSuites
        if let trustFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustFile))
            } catch {
                throw Problem.unreadable(
                    option: "--tls-ca", path: trustFile, reason: "not a PEM certificate file (\(error))")
            }
        }
        if !checkHostname { configuration.certificateVerification = .noHostnameVerification }
        return ConsoleTLS(context: try NIOSSLContext(configuration: configuration), configuration: configuration)
    }

    func addServerHandler(to channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
    }

    func addClientHandler(to channel: any Channel, hostname: String?) throws {
        try channel.pipeline.syncOperations.addHandler(
            try NIOSSLClientHandler(context: context, serverHostname: hostname))
    }
}
