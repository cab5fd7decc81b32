import PassageCore

/// The statistics and gaps pages' note of where the answer was read when the server has a read
/// pool: the console's `replica …` line (`lag=0.4s`, `primary reason=standby-unreachable`), so a
/// reader sees how fresh the figures are. Nothing without a read pool.
enum ReplicaNote {
    static func html(_ source: ReadSource?, _ texts: WebTexts) -> String {
        guard let source else { return "" }
        let line = String(source.infoLine.dropFirst("replica ".count))
        return "<p class=\"note\" id=\"replica\">\(HTML.escape(texts.format("replica.note", ["line": line])))</p>\n"
    }
}
