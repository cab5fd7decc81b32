/// Bytes received from the server, handed out as lines (CRLF or LF, without the ending): what
/// every console client needs between its socket and `ReplyReader`, whatever its transport.
public struct ReceivedLines: Sendable {
    private var pending: [UInt8] = []
    /// How many bytes at the start of `pending` were already returned as lines.
    private var consumed = 0

    public init() {}

    /// Bytes received and not yet returned as a line (the start of a line still arriving).
    public var unfinishedCount: Int { pending.count - consumed }

    /// The next whole line, or nil until more bytes arrive.
    public mutating func nextLine() -> String? {
        guard let newline = pending[consumed...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var line = pending[consumed..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        consumed = newline + 1
        return String(decoding: line, as: UTF8.self)
    }

    /// Adds received bytes. Lines already returned are dropped here, once per chunk and not once
    /// per line: a reply of thousands of lines arrives in a few large chunks, and moving the rest
    /// of a chunk after every line made reading it quadratic.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        pending.removeFirst(consumed)
        consumed = 0
        pending += bytes
    }
}
