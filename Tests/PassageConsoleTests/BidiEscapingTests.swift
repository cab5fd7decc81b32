import Foundation
import Testing

@testable import PassageConsole

/// Issue 16, item 12: bidirectional controls (a name holding U+202E shows "exe.txt" as
/// "txt.exe" and reorders the columns after it) and the Unicode line and paragraph separators
/// (line breaks to many viewers, and raw in JavaScript before ES2019) in stored text were sent
/// raw. They are escaped in every reply, as control characters are; JSON replies stay valid JSON
/// and decode to the very text that was stored.
@Suite struct BidiEscapingTests {
    /// Every scalar the replies must not carry raw.
    static let hostileScalars: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
        "\u{200E}", "\u{200F}", "\u{061C}", "\u{2028}", "\u{2029}",
    ]
    static let hostile = "Amina" + String(String.UnicodeScalarView(hostileScalars)) + "gpj.exe"

    static func isRaw(_ line: String) -> Bool {
        line.unicodeScalars.contains { hostileScalars.contains($0) }
    }

    static var reply: Reply {
        Reply(
            code: 250, message: hostile,
            fields: [ReplyField("name", .string(hostile)), ReplyField("facts", .json(#"{"name":"a\#u{202E}b"}"#))],
            info: [hostile],
            data: .table(hostile, columns: ["name", hostile], rows: [[.string(hostile), .json(#"["\#u{2029}"]"#)]]))
    }

    @Test("text replies show each of them as \\uXXXX, never raw")
    func textRepliesEscape() {
        let lines = ReplyWriter.lines(Self.reply, format: .text)
        for line in lines { #expect(!Self.isRaw(line), "\(line.debugDescription)") }
        #expect(!Self.isRaw(ReplyWriter.render(Self.reply, format: .text)))
        #expect(
            ReplyWriter.lines(.ok([ReplyField("name", "a\u{202E}b\u{2028}c")]), format: .text) == [
                #"250 name=a\u202eb\u2028c"#
            ])
        #expect(
            ReplyWriter.lines(
                Reply(code: 250, message: "x", data: .lines("notes", ["\u{2067}1\u{2069}"])), format: .text)
                == ["250+notes", #"\u20671\u2069"#, ".", "250 x"])
    }

    @Test("JSON replies escape them as \\uXXXX, every line stays valid JSON and decodes to the stored text")
    func jsonRepliesEscapeAndStayValid() throws {
        let lines = ReplyWriter.lines(Self.reply, format: .json)
        for line in lines { #expect(!Self.isRaw(line), "\(line.debugDescription)") }
        var decodedStrings: [String] = []
        for line in lines where line != "." {
            // Info, title and final lines carry a code before the object; data lines do not.
            let object = line.first == "{" ? line : String(line.dropFirst(4))
            let value = try JSONSerialization.jsonObject(with: Data(object.utf8))
            if let dictionary = value as? [String: Any] {
                decodedStrings += dictionary.values.compactMap { $0 as? String }
            }
        }
        #expect(decodedStrings.contains(Self.hostile), "the escaped text does not decode to what was stored")
        #expect(
            ReplyWriter.lines(.ok([ReplyField("name", "a\u{202E}b")]), format: .json) == [#"250 {"name":"a\u202eb"}"#])
        // Raw JSON values (stored facts) are escaped inside their strings too.
        #expect(
            ReplyWriter.lines(.ok([ReplyField("facts", .json(#"{"n":"a\#u{2066}b"}"#))]), format: .json)
                == [#"250 {"facts":{"n":"a\u2066b"}}"#])
    }
}
