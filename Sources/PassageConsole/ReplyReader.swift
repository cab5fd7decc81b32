/// One reply as a client reads it back: the inverse of `ReplyWriter`.
public struct ReceivedReply: Sendable, Equatable {
    public var code: Int
    public var info: [String] = []
    /// The text after `NNN+`, when the reply had a data block.
    public var dataTitle: String?
    /// Data lines with dot-stuffing undone.
    public var data: [String] = []
    /// The text after `NNN `.
    public var text: String = ""
    /// Every line as received (without CRLF), for printing.
    public var lines: [String] = []
}

/// A line that does not fit the reply grammar.
public struct ReplyGrammarError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: String
    public let reason: String
    public var description: String { "unexpected reply line (\(reason)): \(line)" }
}

/// Assembles reply lines into replies, checking the grammar of the contract: `NNN-`, at most one
/// `NNN+` data block ended by `.`, final `NNN `, one code throughout.
public struct ReplyReader: Sendable {
    private var current: ReceivedReply?
    private var inData = false

    public init() {}

    /// Takes one line; returns the reply it completes, if any.
    public mutating func accept(_ line: String) throws(ReplyGrammarError) -> ReceivedReply? {
        if inData {
            current?.lines.append(line)
            if line == "." {
                inData = false
            } else {
                current?.data.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
            }
            return nil
        }
        let bytes = Array(line.utf8)
        guard bytes.count >= 4, bytes[0...2].allSatisfy({ (0x30...0x39).contains($0) }),
            let code = Int(String(decoding: bytes[0...2], as: UTF8.self))
        else {
            throw ReplyGrammarError(line: line, reason: "no three-digit code")
        }
        var reply = current ?? ReceivedReply(code: code)
        guard reply.code == code else { throw ReplyGrammarError(line: line, reason: "code changed within a reply") }
        reply.lines.append(line)
        let text = String(decoding: bytes[4...], as: UTF8.self)
        switch bytes[3] {
        case UInt8(ascii: "-"):
            reply.info.append(text)
        case UInt8(ascii: "+"):
            guard reply.dataTitle == nil else { throw ReplyGrammarError(line: line, reason: "second data block") }
            reply.dataTitle = text
            inData = true
        case UInt8(ascii: " "):
            reply.text = text
            current = nil
            return reply
        default:
            throw ReplyGrammarError(line: line, reason: "fourth character must be space, - or +")
        }
        current = reply
        return nil
    }
}
