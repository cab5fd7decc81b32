import Testing

@testable import PassageConsole

@Suite struct ReplyWriterTests {
    @Test func simpleReplyIsOneFinalLine() {
        #expect(ReplyWriter.render(Reply(code: 250, message: "PONG"), format: .text) == "250 PONG\r\n")
        #expect(
            ReplyWriter.render(Reply(code: 250, message: "PONG"), format: .json) == "250 {\"message\":\"PONG\"}\r\n")
    }

    @Test func fieldsRenderAsKeyValueAndQuoteWhenNeeded() {
        let reply = Reply.ok([
            ReplyField("case", 12), ReplyField("version", 1), ReplyField("note", "two words"),
            ReplyField("empty", ""), ReplyField("ok", true), ReplyField("gone", .null),
        ])
        #expect(
            ReplyWriter.lines(reply, format: .text) == [
                #"250 case=12 version=1 note="two words" empty="" ok=true gone=-"#
            ])
        #expect(
            ReplyWriter.lines(reply, format: .json) == [
                #"250 {"case":12,"version":1,"note":"two words","empty":"","ok":true,"gone":null}"#
            ])
    }

    @Test func infoDataAndFinalShareOneCodeAndDataIsDotStuffed() {
        let reply = Reply(
            code: 250, message: "done", info: ["first note"],
            data: .lines("notes", [".starts with dot", "plain", "."]))
        #expect(
            ReplyWriter.lines(reply, format: .text) == [
                "250-first note", "250+notes", "..starts with dot", "plain", "..", ".", "250 done",
            ])
    }

    @Test func tablesAlignInTextAndBecomeObjectsInJSON() {
        let block = DataBlock.table("stats", columns: ["area", "count"], rows: [["CO-ANT", 12], ["CO-BOL", .null]])
        #expect(
            ReplyWriter.lines(.data(block), format: .text) == [
                "250+stats", "area    count", "CO-ANT  12", "CO-BOL  -", ".", "250 2 rows",
            ])
        #expect(
            ReplyWriter.lines(.data(block), format: .json) == [
                #"250+{"title":"stats","columns":["area","count"]}"#,
                #"{"area":"CO-ANT","count":12}"#, #"{"area":"CO-BOL","count":null}"#, ".",
                #"250 {"message":"2 rows"}"#,
            ])
    }

    @Test func tablesAlignByCharactersWhateverTheBytes() {
        // "Bogotá" (7 bytes, 6 characters) and a combining mark (2 scalars, 1 character) align
        // as wide as they look; ASCII cells take the byte-count path.
        let block = DataBlock.table(
            "t", columns: ["area", "n", "note"],
            rows: [
                ["Bogotá", 1, "e\u{301}"], ["CO-ANT", .double(12.5), .null], ["X", .null, "plain"],
            ])
        #expect(
            ReplyWriter.lines(.data(block), format: .text) == [
                "250+t", "area    n     note", "Bogotá  1     e\u{301}", "CO-ANT  12.5  -", "X       -     plain", ".",
                "250 3 rows",
            ])
    }

    @Test func renderedTextTablesAreTheirLinesWithCRLF() {
        // render writes text tables into one buffer; it must give exactly the lines.
        let tables: [DataBlock] = [
            .table(
                "t", columns: ["a", "b"],
                rows: [[".dot", 1], [".\u{301}", 2], ["", .null], [".", "."], ["x"], ["y", "z", "extra"]]),
            .table("no columns", columns: [], rows: [[1], []]),
            .table("empty", columns: ["only"], rows: []),
            .table(
                "wide", columns: ["name", "share"],
                rows: [["Bogotá\u{1b}[2J", .double(0.671)], ["\u{9b}x", .bool(true)], ["line\nbreak", .json("{}")]]),
        ]
        for block in tables {
            let reply = Reply(
                code: 250, message: block.countText, fields: [ReplyField("kind", "x y")], info: ["one", "two\rthree"],
                data: block)
            #expect(
                ReplyWriter.render(reply, format: .text)
                    == ReplyWriter.lines(reply, format: .text).map { $0 + "\r\n" }.joined(),
                "\(block.title)")
        }
        // A kept rendering gives the same bytes, the first time and after.
        var kept = tables[0]
        kept.kept = KeptRendering()
        #expect(kept == tables[0])
        for _ in 0..<2 {
            #expect(
                ReplyWriter.render(.data(kept), format: .text) == ReplyWriter.render(.data(tables[0]), format: .text))
            #expect(
                ReplyWriter.render(.data(kept), format: .json) == ReplyWriter.render(.data(tables[0]), format: .json))
        }
        // A data line that starts with a dot is stuffed; one with a dot and a combining mark is not a dot.
        let lines = ReplyWriter.lines(.data(tables[0]), format: .text)
        #expect(lines.contains("..dot  1"))
        #expect(lines.contains(".\u{301}     2"))
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
