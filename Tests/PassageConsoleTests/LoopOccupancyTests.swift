import NIOCore
import NIOPosix
import Postgres
import Synchronization
import Testing

@testable import PassageConsole

/// A quick command runs its database work on its connection's event loop only while that
/// connection has the loop to itself; otherwise, and for every other command, the work goes to
/// the pool's threads (`LoopOccupancy`, `PostgresPool.callerLoop`).
@Suite(.timeLimit(.minutes(1))) struct LoopOccupancyTests {
    @Test func countsChannelsPerLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (first, second) = (group.next(), group.next())
        let occupancy = LoopOccupancy()
        #expect(!occupancy.isAlone(on: first), "a loop nobody entered")
        occupancy.enter(first)
        #expect(occupancy.isAlone(on: first))
        occupancy.enter(second)
        #expect(occupancy.isAlone(on: first) && occupancy.isAlone(on: second), "loops are counted apart")
        occupancy.enter(first)
        #expect(!occupancy.isAlone(on: first))
        occupancy.leave(first)
        #expect(occupancy.isAlone(on: first))
        occupancy.leave(first)
        occupancy.leave(first)  // one leave too many changes nothing
        #expect(!occupancy.isAlone(on: first))
        occupancy.enter(first)
        #expect(occupancy.isAlone(on: first))
        try await group.shutdownGracefully()
    }

    @Test func namesTheLoopOnlyForAQuickCommandAlone() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let occupancy = LoopOccupancy()
        occupancy.enter(loop)
        #expect(await occupancy.run(quick: true, on: loop) { PostgresPool.callerLoop } === loop)
        #expect(await occupancy.run(quick: false, on: loop) { PostgresPool.callerLoop } == nil)
        occupancy.enter(loop)
        #expect(await occupancy.run(quick: true, on: loop) { PostgresPool.callerLoop } == nil)
        try await group.shutdownGracefully()
    }

    /// What a handler saw: whether its database work would run on its own loop.
    final class Sightings: Sendable {
        let onOwnLoop = Mutex<[Bool]>([])
    }

    func table(_ sightings: Sightings) -> CommandTable {
        CommandTable([
            CommandSpec("WHERE", access: .anyone, summary: "where database work would run", quick: true) { _, _ in
                let own =
                    PostgresPool.callerLoop != nil
                    && PostgresPool.callerLoop === MultiThreadedEventLoopGroup.currentEventLoop
                sightings.onOwnLoop.withLock { $0.append(own) }
                return .ok([])
            }
        ])
    }

    @Test func aConnectionAloneOnItsLoopRunsQuickCommandsThere() async throws {
        let sightings = Sightings()
        try await withServer(ConsoleConfiguration(port: 0, connectionLoops: 2), commands: table(sightings)) { server in
            try await TestClient.with(port: server.port) { client in
                _ = try await client.readLine()
                try await client.send("WHERE\r\nWHERE\r\n")
                #expect(try await client.final()?.hasPrefix("250") == true)
                #expect(try await client.final()?.hasPrefix("250") == true)
            }
        }
        #expect(sightings.onOwnLoop.withLock { $0 } == [true, true])
    }

    @Test func connectionsSharingALoopLeaveTheirWorkToThePool() async throws {
        let sightings = Sightings()
        try await withServer(ConsoleConfiguration(port: 0, connectionLoops: 1), commands: table(sightings)) { server in
            try await TestClient.with(port: server.port) { first in
                _ = try await first.readLine()
                try await TestClient.with(port: server.port) { second in
                    _ = try await second.readLine()
                    for client in [first, second] {
                        try await client.send("WHERE\r\n")
                        #expect(try await client.final()?.hasPrefix("250") == true)
                    }
                }
            }
        }
        #expect(sightings.onOwnLoop.withLock { $0 } == [false, false])
    }
}
