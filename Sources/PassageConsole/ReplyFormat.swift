/// How replies are written on a connection; chosen with `FORMAT text|json`.
public enum ReplyFormat: String, Sendable, CaseIterable {
    /// Aligned human text: what a person reading `nc` wants.
    case text
    /// Every data line and every final line's text is one JSON object.
    case json
}
