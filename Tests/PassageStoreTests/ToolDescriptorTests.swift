import Foundation
import Testing

@testable import EmbeddedPostgres

/// A tool started for the cluster (pg_ctl, whose postmaster outlives it) must not inherit our
/// sockets: SwiftNIO opens them without close-on-exec, and a console connection held open by a
/// postmaster never ends for its client (the parallel test-run hang, Docs/testing.md).
@Suite("Tools started for the cluster inherit no descriptors of ours")
struct ToolDescriptorTests {
    @Test("a socket open without close-on-exec is not open in the tool")
    func socketNotInherited() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socketDescriptor > 2)
        defer { close(socketDescriptor) }
        #expect(fcntl(socketDescriptor, F_GETFD) & FD_CLOEXEC == 0, "the socket is inheritable, as NIO's are")
        // ls lists its own open descriptors: 0, 1, 2 and the one it reads the directory with.
        let listing = try ToolRunner.run("/bin/ls", ["/proc/self/fd"], asServerUser: false)
        let open = Set(listing.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        #expect(open.isSuperset(of: [0, 1, 2]), "ls printed \(listing)")
        #expect(!open.contains(socketDescriptor), "descriptor \(socketDescriptor) reached the tool: \(listing)")
        #expect(open.count <= 4, "only the standard streams and ls's own: \(listing)")
    }
}
