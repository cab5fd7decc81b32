extension Tokenizer {
    /// `text` as one quoted console word that the tokenizer reads back verbatim: `"` and `\`
    /// escaped, line feed and tab as `\n` and `\t`. What a client (a script, a test, the fuzz
    /// target's round trip) writes to send any text as one argument. Escapes go by Unicode
    /// scalar, as the tokenizer reads: a backslash followed by a combining mark is one
    /// `Character` but two scalars.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
