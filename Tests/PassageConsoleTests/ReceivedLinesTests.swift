import Testing

@testable import PassageConsole

/// The line buffer both console clients read replies through.
struct ReceivedLinesTests {
    @Test func linesSplitAcrossChunksWithEitherEnding() {
        var lines = ReceivedLines()
        #expect(lines.nextLine() == nil)
        lines.append(Array("250-one\r\n250 tw".utf8))
        #expect(lines.nextLine() == "250-one")
        #expect(lines.nextLine() == nil)
        #expect(lines.unfinishedCount == 6)
        lines.append(Array("o\n\r\nnext".utf8))
        #expect(lines.nextLine() == "250 two")
        #expect(lines.nextLine() == "")
        #expect(lines.nextLine() == nil)
        #expect(lines.unfinishedCount == 4)
        lines.append(Array("\n".utf8))
        #expect(lines.nextLine() == "next")
        #expect(lines.unfinishedCount == 0)
    }
}
