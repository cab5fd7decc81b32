import NIOCore
import NIOPosix
import Testing

@testable import PassageBench

@Suite(.timeLimit(.minutes(2))) struct PingLoadTests {
    // Only "some replies were counted" is asserted, never a speed. On a machine busy with the
    // rest of the suite a first reply can miss a short window, so the window doubles until
    // one is counted (at most 2 + 4 + 8 s).
    static func rateWithGrowingWindow(_ measure: (Double) async throws -> Double) async throws -> Double {
        var rate = 0.0
        for seconds in [2.0, 4.0, 8.0] where rate == 0 {
            rate = try await measure(seconds)
        }
        return rate
    }

    @Test func countsReplyLinesButNotTheGreetingEvenWhenSplitAcrossChunks() {
        var counter = ReplyLineCounter()
        #expect(counter.count(Array("22".utf8)) == 0)
        #expect(counter.count(Array("0 passage ready\r\n250 PO".utf8)) == 0)
        #expect(counter.count(Array("NG\r\n+PONG\r\n".utf8)) == 2)
        // "220" without its space is a reply like any other, and so is an empty line.
        #expect(counter.count(Array("220\r\n\n".utf8)) == 2)
    }

    @Test func countsRedisStyleRepliesWithoutAGreeting() async throws {
        // A stand-in for redis-server's inline PING: one "+PONG" line per request line.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        let serving = Task {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask {
                            try? await connection.executeThenClose { input, output in
                                for try await chunk in input {
                                    let lines = chunk.readableBytesView.filter { $0 == UInt8(ascii: "\n") }.count
                                    try await output.write(
                                        ByteBuffer(string: String(repeating: "+PONG\r\n", count: lines)))
                                }
                            }
                        }
                    }
                }
            }
        }
        let rate = try await Self.rateWithGrowingWindow { seconds in
            try await PingLoad.run(host: "127.0.0.1", port: port, connections: 1, pipelineDepth: 4, seconds: seconds)
        }
        #expect(rate > 0)
        // The stand-in server's connection tasks may outlive the load client by a moment; the
        // test only needs the listener gone, so it cancels rather than waits for them.
        server.channel.close(promise: nil)
        serving.cancel()
    }

    @Test func aServerThatNeverAnswersDoesNotHangTheLoad() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        let serving = Task {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask {
                            // Reads everything, answers nothing.
                            try? await connection.executeThenClose { input, _ in for try await _ in input {} }
                        }
                    }
                }
            }
        }
        let rate = try await PingLoad.run(host: "127.0.0.1", port: port, connections: 1, pipelineDepth: 4, seconds: 0.1)
        #expect(rate == 0)
        // The stand-in server's connection tasks may outlive the load client by a moment; the
        // test only needs the listener gone, so it cancels rather than waits for them.
        server.channel.close(promise: nil)
        serving.cancel()
    }

    @Test func refusesNonsenseParameters() async {
        await #expect(throws: PingLoad.LoadError.self) {
            _ = try await PingLoad.run(host: "127.0.0.1", port: 1, connections: 0, pipelineDepth: 1, seconds: 1)
        }
    }
}
