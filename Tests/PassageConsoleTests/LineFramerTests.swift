import Testing

@testable import PassageConsole

@Suite struct LineFramerTests {
    private func feed(_ text: String, limit: Int = 8192) -> [FrameEvent] {
        var framer = LineFramer(limit: limit)
        return framer.feed(Array(text.utf8))
    }

    @Test func splitsOnLFAndCRLF() {
        #expect(feed("PING\nHELP\r\nQUIT\r\n") == [.line("PING"), .line("HELP"), .line("QUIT")])
    }

    @Test func keepsAnUnfinishedLineUntilItsEnd() {
        var framer = LineFramer()
        #expect(framer.feed(Array("PI".utf8)).isEmpty)
        #expect(framer.hasPartialLine)
        #expect(framer.feed(Array("NG\r".utf8)).isEmpty)
        #expect(framer.feed(Array("\nAU".utf8)) == [.line("PING")])
        #expect(framer.feed(Array("TH x y\n".utf8)) == [.line("AUTH x y")])
    }

    @Test func emptyLinesAreLines() {
        #expect(feed("\n\r\n") == [.line(""), .line("")])
    }

    @Test func lineAtTheLimitIsAcceptedOneMoreIsRefused() {
        #expect(feed("abcd\r\n", limit: 4) == [.line("abcd")])
        #expect(feed("abcd\n", limit: 4) == [.line("abcd")])
        #expect(feed("abcde\nok\n", limit: 4) == [.refused(.lineTooLong(limit: 4)), .line("ok")])
    }

    @Test func overlongLineIsRefusedOnceAndDiscardedUpToItsEnd() {
        var framer = LineFramer(limit: 8192)
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        var events: [FrameEvent] = []
        // Fed in network-sized pieces, as the server does.
        var offset = 0
        while offset < big.count {
            events += framer.feed(big[offset..<min(offset + 65536, big.count)])
            offset += 65536
        }
        events += framer.feed(Array("\r\nPING\r\n".utf8))
        #expect(events == [.refused(.lineTooLong(limit: 8192)), .line("PING")])
        #expect(!framer.hasPartialLine)
    }

    @Test func invalidUTF8IsRefusedAndTheNextLineWorks() {
        var framer = LineFramer()
        let events = framer.feed([0x50, 0xC3, 0x28, 0x0A] + Array("PING\n".utf8))
        #expect(events == [.refused(.invalidUTF8), .line("PING")])
    }

    @Test func nulByteIsRefused() {
        var framer = LineFramer()
        #expect(framer.feed([0x50, 0x00, 0x47, 0x0A, 0x41, 0x0A]) == [.refused(.nulByte), .line("A")])
    }

    @Test func multibyteCharactersSurviveSplitting() {
        var framer = LineFramer()
        let bytes = Array("note=café\n".utf8)
        let cut = bytes.count - 2  // inside the two-byte é
        #expect(framer.feed(bytes[..<cut]).isEmpty)
        #expect(framer.feed(bytes[cut...]) == [.line("note=café")])
    }
}
