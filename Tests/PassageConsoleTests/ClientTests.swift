import Testing

@testable import PassageConsole

@Suite struct ReplyReaderTests {
    @Test func readsBackWhatTheWriterWrites() throws {
        let reply = Reply(
            code: 250, message: "done", fields: [ReplyField("n", 2)], info: ["note"],
            data: .lines("block", [".dot", "plain", "."]))
        var reader = ReplyReader()
        var received: [ReceivedReply] = []
        for line in ReplyWriter.lines(reply, format: .text) {
            if let complete = try reader.accept(line) { received.append(complete) }
        }
        #expect(received.count == 1)
        #expect(received.first?.code == 250)
        #expect(received.first?.info == ["note"])
        #expect(received.first?.dataTitle == "block")
        #expect(received.first?.data == [".dot", "plain", "."])
        #expect(received.first?.text == "done n=2")
    }

    @Test func rejectsLinesOutsideTheGrammar() throws {
        var reader = ReplyReader()
        #expect(throws: ReplyGrammarError.self) { try reader.accept("hello") }
        #expect(try reader.accept("250-a") == nil)
        #expect(throws: ReplyGrammarError.self) { try reader.accept("251 b") }
        var second = ReplyReader()
        _ = try second.accept("250+a")
        _ = try second.accept(".")
        #expect(throws: ReplyGrammarError.self) { try second.accept("250+b") }
    }
}

@Suite(.timeLimit(.minutes(1))) struct ConsoleClientTests {
    @Test func talksToTheServer() async throws {
        try await withServer { server in
            try await ConsoleClient.withConnection(port: server.port) { client in
                #expect(client.greeting.code == 220)
                #expect(try await client.request("PING").text == "PONG")
                #expect(try await client.request(#"AUTH cara "c0rrect horse""#).code == 250)
                // Pipelined: both sent before either reply is read.
                try await client.send("CASE SHOW 8")
                try await client.send("QUIT")
                let show = try await client.readReply()
                #expect(
                    show.dataTitle == "case 8" && show.data.first == #"facts: {"ref":"fake-8","current_country":"DE"}"#)
                #expect(try await client.readReply().code == 221)
                await #expect(throws: ConsoleClient.ClientError.self) { try await client.readReply() }
            }
        }
    }
}
