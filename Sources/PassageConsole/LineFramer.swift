/// One thing the framer found in the byte stream: a request line, or a line that cannot be one.
public enum FrameEvent: Sendable, Equatable {
    /// A complete request line without its LF or CRLF terminator.
    case line(String)
    /// A line that was refused; the connection stays usable and the next line is read normally.
    case refused(FramingError)
}

/// Why a line was refused. Each becomes a `500` reply.
public enum FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    case lineTooLong(limit: Int)
    case invalidUTF8
    case nulByte

    public var description: String {
        switch self {
        case .lineTooLong(let limit): "line too long (limit \(limit) bytes)"
        case .invalidUTF8: "line is not valid UTF-8"
        case .nulByte: "line contains a NUL byte"
        }
    }
}

/// Cuts a byte stream into request lines, holding at most `limit` (+1 for a CR) bytes of an
/// unfinished line. A line over the limit is reported once, as soon as it exceeds the limit,
/// and its remaining bytes are skipped up to the next LF — so a hostile or broken client cannot
/// make the server buffer an unbounded line, yet the next well-formed line works.
public struct LineFramer: Sendable {
    public static let defaultLimit = 8192

    /// Longest accepted line in bytes, not counting the LF or CRLF terminator.
    public let limit: Int
    private var pending: [UInt8] = []
    private var discarding = false

    public init(limit: Int = LineFramer.defaultLimit) {
        precondition(limit > 0, "a line limit must be positive")
        self.limit = limit
    }

    /// True when part of a line is waiting for its terminator.
    public var hasPartialLine: Bool { !pending.isEmpty || discarding }

    /// Feeds received bytes; returns the events they complete, in order.
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) -> [FrameEvent] where Bytes.Element == UInt8 {
        var events: [FrameEvent] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                absorb(rest, into: &events)
                break
            }
            absorb(rest[..<newline], into: &events)
            if discarding {
                discarding = false
            } else {
                events.append(Self.decode(pending))
            }
            pending.removeAll(keepingCapacity: true)
            rest = rest[rest.index(after: newline)...]
        }
        return events
    }

    /// Takes bytes of a line whose end has not been seen yet.
    private mutating func absorb<Bytes: Collection>(_ bytes: Bytes, into events: inout [FrameEvent])
    where Bytes.Element == UInt8 {
        if discarding || bytes.isEmpty { return }
        // Never copy more than one byte past what the limit allows: that byte already decides.
        pending.append(contentsOf: bytes.prefix(max(0, limit + 2 - pending.count)))
        if exceedsLimit {
            events.append(.refused(.lineTooLong(limit: limit)))
            pending = []
            discarding = true
        }
    }

    /// A CR may sit beyond the limit because it may be the first half of a CRLF terminator.
    private var exceedsLimit: Bool {
        if pending.count <= limit { return false }
        if pending.count == limit + 1 { return pending[limit] != UInt8(ascii: "\r") }
        return true
    }

    private static func decode(_ raw: [UInt8]) -> FrameEvent {
        var bytes = raw[...]
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        if bytes.contains(0) { return .refused(.nulByte) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .refused(.invalidUTF8) }
        return .line(text)
    }
}
