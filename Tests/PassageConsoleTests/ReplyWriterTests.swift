import Testing
@testable import PassageConsole

@Suite struct ReplyWriterTests {
    @Test func simpleReplyIsOneFinalLine() {
        #expect(ReplyWriter.render(Reply(code: 250, message: "PONG"), format: .text) == "250 PONG\r\n")
        #expect(ReplyWriter.render(Reply(code: 250, message: "PONG"), format: .json) == "250 {\"message\":\"PONG\"}\r\n")
    }

    @Test func fieldsRenderAsKeyValueAndQuoteWhenNeeded() {
        let reply = Reply.ok([ReplyField("case", 12), ReplyField("version", 1), ReplyField("note", "two words"),
                              ReplyField("empty", ""), ReplyField("ok", true), ReplyField("gone", .null)])
        #expect(ReplyWriter.lines(reply, format: .text) == [#"250 case=12 version=1 note="two words" empty="" ok=true gone=-"#])
        #expect(ReplyWriter.lines(reply, format: .json) ==
                [#"250 {"case":12,"version":1,"note":"two words","empty":"","ok":true,"gone":null}"#])
    }

    @Test func infoDataAndFinalShareOneCodeAndDataIsDotStuffed() {
        let reply = Reply(code: 250, message: "done", info: ["first note"],
                          data: .lines("notes", [".starts with dot", "plain", "."]))
        #expect(ReplyWriter.lines(reply, format: .text) == [
            "250-first note", "250+notes", "..starts with dot", "plain", "..", ".", "250 done",
        ])
    }

    @Test func tablesAlignInTextAndBecomeObjectsInJSON() {
        let block = DataBlock.table("stats", columns: ["area", "count"], rows: [["CO-ANT", 12], ["CO-BOL", .null]])
        #expect(ReplyWriter.lines(.data(block), format: .text) == [
            "250+stats", "area    count", "CO-ANT  12", "CO-BOL  -", ".", "250 2 rows",
        ])
        #expect(ReplyWriter.lines(.data(block), format: .json) == [
            #"250+{"title":"stats","columns":["area","count"]}"#,
            #"{"area":"CO-ANT","count":12}"#, #"{"area":"CO-BOL","count":null}"#, ".",
            #"250 {"message":"2 rows"}"#,
        ])
    }

    @Test func errorsUseTheErrorKeyInJSON() {
        #expect(ReplyWriter.lines(.failure(501, "priority: bad"), format: .json) == [#"501 {"error":"priority: bad"}"#])
    }

    @Test func lineBreaksInValuesCannotForgeProtocolLines() {
        let reply = Reply(code: 250, message: "a\r\n250 forged", info: ["x\ny"], data: .lines("t", ["l1\nl2"]))
        let text = ReplyWriter.render(reply, format: .text)
        #expect(text == "250-x\\ny\r\n250+t\r\nl1\\nl2\r\n.\r\n250 a\\r\\n250 forged\r\n")
        let json = ReplyWriter.render(reply, format: .json)
        #expect(json.split(separator: "\r\n").count == 5)
        #expect(json.contains(#"{"line":"l1\nl2"}"#))
    }

    @Test func jsonStringsEscapeControlCharacters() {
        #expect(JSONText.string("q\"b\\\u{01}é") == #""q\"b\\\u0001é""#)
    }

    /// Found by the framing fuzzer: a backslash or space followed by a combining mark is one
    /// Character, so quoting by Character left it unescaped and the value did not read back.
    @Test func quotedValuesReadBackWithCombiningMarks() throws {
        for value in ["a\\\u{7EF}b", "two \u{301}words", "q\"\u{301}"] {
            let quoted = ReplyWriter.quotedIfNeeded(value)
            #expect(try Tokenizer.words(of: "k=" + quoted) == [.named(key: "k", value: value)], "\(quoted)")
        }
    }
}
