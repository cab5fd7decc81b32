/// One word of a request line after quoting has been undone.
public enum Word: Sendable, Equatable {
    /// A positional word (a command name part or a positional argument).
    case plain(String)
    /// `key=value`; the key is lower-cased (keys are case-insensitive), the value is kept as typed.
    case named(key: String, value: String)
    /// The rest of the line, verbatim, starting at a `{`: one JSON text (`CASE NEW {…}`).
    case jsonTail(String)
}

/// A quoting mistake in a request line; becomes a `500` reply.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 1-based column where the problem was found, counted in Unicode scalars.
    public let column: Int
    public var description: String { "\(message) at column \(column)" }
}

/// Reads words from one request line, one at a time, so the caller can decide — once it knows
/// the command — whether a `{` starts a JSON tail or is just a character of a word.
///
/// Rules (Docs/console-protocol.md): words are separated by runs of spaces or tabs; a word that
/// starts with `"` runs to the matching unescaped `"` and may hold spaces and the escapes
/// `\"` `\\` `\n` `\t`; an unquoted word containing `=` after a valid key (`[A-Za-z_][A-Za-z0-9_.]*`)
/// is a named argument whose value may itself be quoted. A quote anywhere else is an error,
/// because guessing what a stray quote meant is how scripts end up storing the wrong text.
public struct Tokenizer: Sendable {
    /// Unicode scalars, not `Character`s: the protocol's quotes, backslashes and separators are
    /// single scalars, and grapheme clusters would glue a combining mark onto them (`"` + U+0301
    /// is one Character that is not `"`), so a value starting or ending with one could not be
    /// quoted. Found by fuzzing (Docs/reliability.md).
    private let characters: [Unicode.Scalar]
    private var position = 0

    public init(_ line: String) {
        self.characters = Array(line.unicodeScalars)
    }

    /// Splits a whole line; with `jsonTail`, an unquoted word starting with `{` takes the rest.
    public static func words(of line: String, jsonTail: Bool = false) throws(SyntaxError) -> [Word] {
        var tokenizer = Tokenizer(line)
        var words: [Word] = []
        while true {
            if jsonTail, let tail = tokenizer.takeJSONTail() {
                words.append(.jsonTail(tail))
                break
            }
            guard let word = try tokenizer.next() else { break }
            words.append(word)
        }
        return words
    }

    /// True when only separators remain.
    public mutating func atEnd() -> Bool {
        skipSeparators()
        return position >= characters.count
    }

    /// If the next word starts with an unquoted `{`, returns the rest of the line verbatim
    /// (trailing separators trimmed) and consumes it.
    public mutating func takeJSONTail() -> String? {
        skipSeparators()
        guard position < characters.count, characters[position] == "{" else { return nil }
        var end = characters.count
        while end > position, Self.isSeparator(characters[end - 1]) { end -= 1 }
        let tail = String(String.UnicodeScalarView(characters[position..<end]))
        position = characters.count
        return tail
    }

    /// The next word, or nil at the end of the line.
    public mutating func next() throws(SyntaxError) -> Word? {
        skipSeparators()
        guard position < characters.count else { return nil }
        if characters[position] == "\"" {
            return .plain(try quoted())
        }
        var text = ""
        while position < characters.count, !Self.isSeparator(characters[position]) {
            let character = characters[position]
            if character == "=", Self.isKey(text) {
                position += 1
                return .named(key: text.lowercased(), value: try value())
            }
            if character == "\"" {
                throw SyntaxError(
                    message: "unexpected quote inside a word (quote the whole word)", column: position + 1)
            }
            text.unicodeScalars.append(character)
            position += 1
        }
        return .plain(text)
    }

    /// The value after `key=`: quoted, or up to the next separator (may be empty).
    private mutating func value() throws(SyntaxError) -> String {
        if position < characters.count, characters[position] == "\"" {
            return try quoted()
        }
        var text = ""
        while position < characters.count, !Self.isSeparator(characters[position]) {
            if characters[position] == "\"" {
                throw SyntaxError(
                    message: "unexpected quote inside a value (quote the whole value)", column: position + 1)
            }
            text.unicodeScalars.append(characters[position])
            position += 1
        }
        return text
    }

    private mutating func quoted() throws(SyntaxError) -> String {
        let opening = position
        position += 1
        var text = ""
        while position < characters.count {
            let character = characters[position]
            position += 1
            switch character {
            case "\"":
                if position < characters.count, !Self.isSeparator(characters[position]) {
                    throw SyntaxError(message: "closing quote must end the word", column: position + 1)
                }
                return text
            case "\\":
                guard position < characters.count else {
                    throw SyntaxError(message: "backslash at end of line", column: position)
                }
                let escaped = characters[position]
                position += 1
                switch escaped {
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "n": text.append("\n")
                case "t": text.append("\t")
                default:
                    throw SyntaxError(
                        message: "unknown escape \\\(escaped) (use \\\" \\\\ \\n \\t)", column: position - 1)
                }
            default:
                text.unicodeScalars.append(character)
            }
        }
        throw SyntaxError(message: "unterminated quote", column: opening + 1)
    }

    private mutating func skipSeparators() {
        while position < characters.count, Self.isSeparator(characters[position]) { position += 1 }
    }

    private static func isSeparator(_ character: Unicode.Scalar) -> Bool {
        character == " " || character == "\t"
    }

    /// `employment.skill_level`: identifier parts joined by single dots.
    static func isKey(_ text: String) -> Bool {
        // On UTF-8 bytes: every allowed character is ASCII, so any byte of a longer character
        // (0x80 and up) makes the word a plain one, as it did when this compared Characters
        // (slow: their Unicode properties cost 2 % of the server's CPU per REFER).
        var partStart = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                if partStart { return false }
                partStart = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                partStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if partStart { return false }
            default:
                return false
            }
        }
        return !partStart
    }
}
