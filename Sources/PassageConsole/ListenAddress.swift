#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `passage serve --listen` may treat as loopback, where the console runs without TLS and
/// `--demo` is allowed. Decided by parsing the address, never by its spelling: a name such as
/// `127.0.0.1.nip.io` or `127.evil.example` starts with "127." yet resolves wherever its owner
/// likes (issue 16). Only `localhost` is accepted as a name: the system resolves it locally.
public enum ListenAddress {
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        // A bracketed IPv6 literal, as in URLs: [::1].
        let literal = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            // 127.0.0.0/8; s_addr is in network byte order, so the first octet is its first byte.
            return withUnsafeBytes(of: &v4) { $0[0] } == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
            // An IPv4-mapped loopback, ::ffff:127.x.y.z.
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
        }
        return false
    }
}
