#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The network a client address belongs to, for limits that must hold against someone who
/// controls many addresses of one network: IPv4 /24, IPv6 /64, and all of loopback as one
/// (127.0.0.0/8 and ::1 are the same machine; rotating 127.x addresses must not buy a fresh
/// budget). IPv4-mapped IPv6 addresses count as their IPv4 address. Anything that is not an
/// address (a Unix socket, "unknown") is its own prefix.
public enum AddressPrefix {
    public static func of(_ address: String) -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return ipv4Prefix(withUnsafeBytes(of: &v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return ipv4Prefix(Array(bytes[12..<16]))
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "loopback" }
            let groups = stride(from: 0, to: 8, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            return groups.joined(separator: ":") + "::/64"
        }
        return address
    }

    private static func ipv4Prefix(_ bytes: [UInt8]) -> String {
        if bytes[0] == 127 { return "loopback" }
        return "\(bytes[0]).\(bytes[1]).\(bytes[2]).0/24"
    }
}
