import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import PassageConsole

/// A connection's commands run on the event loop that reads its bytes, and come back to it after
/// work elsewhere (the database pool's threads): the two thread crossings per command that
/// `EventLoopTaskExecutor` exists for (Docs/performance.md "REFER").
@Suite(.timeLimit(.minutes(1))) struct EventLoopAffinityTests {
    /// Where a handler ran: on an event loop at all, and on the same one after leaving it.
    final class Sightings: Sendable {
        let onLoopBefore = Mutex<[Bool]>([])
        let sameLoopAfter = Mutex<[Bool]>([])
    }

    @Test func handlersRunOnTheConnectionsEventLoopAndComeBackToIt() async throws {
        let sightings = Sightings()
        let offLoop = NIOThreadPool(numberOfThreads: 1)
        offLoop.start()
        let table = CommandTable([
            CommandSpec("WHERE", access: .anyone, summary: "where the handler runs") { _, _ in
                let before = MultiThreadedEventLoopGroup.currentEventLoop
                sightings.onLoopBefore.withLock { $0.append(before != nil) }
                // leave for another thread and back, as a database call does
                try await offLoop.runIfActive { Thread.sleep(forTimeInterval: 0.001) }
                let after = MultiThreadedEventLoopGroup.currentEventLoop
                sightings.sameLoopAfter.withLock { $0.append(before != nil && after === before) }
                return .ok([])
            }
        ])
        try await withServer(commands: table) { server in
            for _ in 0..<3 {
                try await TestClient.with(port: server.port) { client in
                    _ = try await client.readLine()
                    try await client.send("WHERE\r\nWHERE\r\n")
                    #expect(try await client.final()?.hasPrefix("250") == true)
                    #expect(try await client.final()?.hasPrefix("250") == true)
                }
            }
        }
        try await offLoop.shutdownGracefully()
        #expect(sightings.onLoopBefore.withLock { $0 } == Array(repeating: true, count: 6))
        #expect(sightings.sameLoopAfter.withLock { $0 } == Array(repeating: true, count: 6))
    }
}
