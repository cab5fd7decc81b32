import Foundation
import PassageConsole

/// How `passage console` writes the replies it receives, for a person or for a script. The
/// wire protocol is the server's and does not change; only what the client prints does.
///
/// - protocol lines (default): every line as received, codes and framing included;
/// - `--data-only`: standard output gets only a reply's body — its data lines (dot-stuffing
///   undone), so that `STATS … format=csv` writes exactly the CSV file, or, for a reply without
///   a data block, the text of its final line (`case=301 version=1 …`); info lines (such as
///   `protection: …`) and the final line of a data reply go to standard error without their
///   code, an error reply and the closing `221` go to standard error as received; a file sent
///   as base64 lines (`250+stats xlsx base64`, DataBlock.file) is written decoded, as the file;
/// - `--json` (`FORMAT json` sent first): one JSON object per reply on standard output,
///   `{"code":250,"info":["…"],"title":{…},"data":[{…}],"result":{…}}` — the reply's own JSON
///   texts, unchanged, gathered in one line; with `--data-only` the data lines (or the final
///   object) alone, as JSON Lines.
struct ConsoleReplyPrinter {
    var dataOnly = false
    var json = false
    /// Where the printer writes (standard output and error in the command; buffers in tests).
    /// (`print`, as the session's other output, so that lines keep their order.)
    var standardOutput: (String) -> Void = { Swift.print($0) }
    var standardError: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    /// A file's bytes (a `… xlsx base64` block with --data-only), after what `print` wrote so far.
    var standardOutputBytes: ([UInt8]) -> Void = { bytes in
        fflush(nil)  // what `print` buffered comes first
        FileHandle.standardOutput.write(Data(bytes))
    }

    func print(_ reply: ReceivedReply) {
        let succeeded = (200..<300).contains(reply.code) && reply.code != 221
        if dataOnly {
            guard succeeded else {
                reply.lines.forEach(standardError)
                return
            }
            reply.info.map(Self.infoText).forEach(standardError)
            if let title = reply.dataTitle.map(Self.titleText), DataBlock.isFile(title: title) {
                // A file in base64 lines (DataBlock.file): standard output gets the file itself.
                guard let bytes = DataBlock.fileBytes(reply.data.map(Self.lineText)) else {
                    standardError("passage console: the \(title) block is not valid base64")
                    return
                }
                standardOutputBytes(bytes)
                standardError(reply.text)
            } else if reply.dataTitle != nil {
                reply.data.forEach(standardOutput)
                standardError(reply.text)
            } else {
                standardOutput(reply.text)
            }
        } else if json {
            standardOutput(Self.jsonObject(of: reply))
        } else {
            reply.lines.forEach(standardOutput)
        }
    }

    /// An info line's text: in JSON mode the server writes `{"info":"…"}`; the text inside is shown.
    static func infoText(_ text: String) -> String {
        guard let object = parsedObject(text), let info = object["info"] as? String else { return text }
        return info
    }

    /// A data title's text: in JSON mode the server writes `{"title":"…"}`.
    static func titleText(_ text: String) -> String {
        (parsedObject(text)?["title"] as? String) ?? text
    }

    /// A plain data line's text: in JSON mode the server writes `{"line":"…"}`.
    static func lineText(_ text: String) -> String {
        (parsedObject(text)?["line"] as? String) ?? text
    }

    /// One line of JSON for a whole reply. The pieces are the server's JSON texts, kept as they
    /// came (key order included); a piece that is not a JSON object (a reply written before
    /// `FORMAT json` took effect) is carried as a JSON string, so the line is always valid JSON.
    static func jsonObject(of reply: ReceivedReply) -> String {
        let info = reply.info.map { jsonString(infoText($0)) }.joined(separator: ",")
        let data = reply.data.map(jsonValue).joined(separator: ",")
        let title = reply.dataTitle.map(jsonValue) ?? "null"
        return #"{"code":\#(reply.code),"info":[\#(info)],"title":\#(title),"data":[\#(data)],"result":\#(jsonValue(reply.text))}"#
    }

    static func jsonValue(_ text: String) -> String {
        parsedObject(text) != nil ? text : jsonString(text)
    }

    static func parsedObject(_ text: String) -> [String: Any]? {
        guard text.first == "{" else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func jsonString(_ text: String) -> String {
        let encoded = try? JSONSerialization.data(withJSONObject: [text])
        // `["…"]` → `"…"`.
        return encoded.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }
}

/// The exit status of `passage console`, for `-c` and for a session read from standard input
/// alike: 0 when every reply was 2xx; otherwise the status of the first reply that was not
/// (64 bad request: 500, 501, 510; 77 authentication or permission: 514, 515, 530; 75 when a
/// retry may help: other 4xx, 421 included; 1 any other error reply, 550 not found, 551
/// conflict, 553 consent); 69 when the server cannot be reached or the connection breaks;
/// 64 also for a usage error of the command line itself.
enum ConsoleExitStatus {
    static let unavailable: Int32 = 69

    static func of(code: Int) -> Int32 {
        switch code {
        case 200..<300: return 0
        case 500, 501, 510: return 64
        case 514, 515, 530: return 77
        case 400..<500: return 75
        default: return 1
        }
    }

    /// The first failure among the replies so far.
    static func combined(_ earlier: Int32, _ code: Int) -> Int32 {
        earlier != 0 ? earlier : of(code: code)
    }
}
