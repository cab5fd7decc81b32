import PassageConsole
import Testing

/// Issue 16, item 12: loopback is decided by parsing the address, not by a "127." prefix.
@Suite struct ListenAddressTests {
    @Test("loopback addresses are loopback, whichever way they are written")
    func loopback() {
        for host in [
            "127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
            "localhost",
        ] {
            #expect(ListenAddress.isLoopback(host), "\(host)")
        }
    }

    @Test("names and addresses that only look like loopback are not")
    func lookalikes() {
        for host in [
            "127.evil.example", "127.0.0.1.nip.io", "127.0.0.1.", "127.1", "127.0.0.256", "127.0.0.1 ", " 127.0.0.1",
            "0.0.0.0", "::", "128.0.0.1", "10.0.0.1", "::2", "::ffff:10.0.0.1", "localhost.evil.example", "LOCALHOST.",
            "",
        ] {
            #expect(!ListenAddress.isLoopback(host), "\(host)")
        }
    }
}
