import Synchronization

/// A value in a reply: typed so that JSON mode can render numbers and booleans as such.
public enum ReplyValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    /// Already-encoded JSON (for example a case's facts); inserted verbatim in JSON mode and shown
    /// as-is in text mode. The handler that builds it vouches that it is one valid JSON value.
    case json(String)
}

extension ReplyValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// One `key=value` of a reply, kept in order (JSON objects in replies keep this order too).
public struct ReplyField: Sendable, Equatable {
    public var key: String
    public var value: ReplyValue

    public init(_ key: String, _ value: ReplyValue) {
        self.key = key
        self.value = value
    }
}

/// The data block of a reply: a titled table (rendered aligned in text mode, one object per row
/// in JSON mode) or free lines of text.
public struct DataBlock: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// Rows of cells under named columns; every row has one cell per column.
        case table(columns: [String], rows: [[ReplyValue]])
        /// Lines of text; in JSON mode each becomes `{"line": "…"}`.
        case lines([String])
    }

    public var title: String
    public var content: Content
    /// Set when this very table is sent many times unchanged: its text rendering is then made
    /// once and reused (see `KeptRendering`). Not part of what the block says, so not compared.
    public var kept: KeptRendering?

    public init(title: String, content: Content) {
        self.title = title
        self.content = content
    }

    public static func == (lhs: DataBlock, rhs: DataBlock) -> Bool {
        lhs.title == rhs.title && lhs.content == rhs.content
    }

    public static func table(_ title: String, columns: [String], rows: [[ReplyValue]]) -> DataBlock {
        DataBlock(title: title, content: .table(columns: columns, rows: rows))
    }

    public static func lines(_ title: String, _ lines: [String]) -> DataBlock {
        DataBlock(title: title, content: .lines(lines))
    }

    /// `3 rows` / `1 line`: the default final text of a data reply.
    public var countText: String {
        let noun = if case .table = content { "row" } else { "line" }
        return "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Number of data lines this block renders to (the table header counts in text mode only,
    /// so this counts rows).
    public var count: Int {
        switch content {
        case .table(_, let rows): rows.count
        case .lines(let lines): lines.count
        }
    }
}

/// Everything one command answers: `NNN-info` lines, at most one data block, and the final
/// `NNN text` line, all under one code. Rendered by `ReplyWriter` in text or JSON format.
public struct Reply: Sendable, Equatable {
    public var code: Int
    public var info: [String]
    public var data: DataBlock?
    /// Human words of the final line (`PONG`, `permission denied …`).
    public var message: String?
    /// Structured part of the final line: `case=12 version=1` in text, object keys in JSON.
    public var fields: [ReplyField]
    /// The server closes the connection after sending this reply (`221`, `421`).
    public var closesConnection: Bool

    public init(
        code: Int, message: String? = nil, fields: [ReplyField] = [], info: [String] = [],
        data: DataBlock? = nil, closesConnection: Bool = false
    ) {
        precondition((100...999).contains(code), "reply codes have three digits")
        self.code = code
        self.message = message
        self.fields = fields
        self.info = info
        self.data = data
        self.closesConnection = closesConnection
    }

    /// `250` with fields, the usual success of a command that created or changed something.
    public static func ok(_ fields: [ReplyField] = [], message: String? = nil) -> Reply {
        Reply(code: 250, message: message, fields: fields)
    }

    /// `250` carrying a data block.
    public static func data(_ block: DataBlock, message: String? = nil, fields: [ReplyField] = []) -> Reply {
        Reply(
            code: 250, message: message ?? block.countText,
            fields: fields, data: block)
    }

    /// An error reply; in JSON mode its message goes under the key `error`.
    public static func failure(_ code: Int, _ message: String, fields: [ReplyField] = []) -> Reply {
        Reply(code: code, message: message, fields: fields)
    }

    public var isError: Bool { code >= 400 }
}

/// The text rendering of a table sent many times unchanged — a GAPS answer kept until the next
/// rollup refresh — made by the first reply that needs it and reused by the others. Rendering
/// GAPS outcomes (11,500 lines) was nearly all of a kept answer's time. Whoever sets a block's
/// `kept` vouches that the rendering belongs to that block's title, columns and rows.
public final class KeptRendering: Sendable {
    private let text = Mutex<[UInt8]?>(nil)

    public init() {}

    /// The table's text lines (CRLF, dot-stuffed), made by `make` the first time.
    func text(_ make: () -> [UInt8]) -> [UInt8] {
        if let made = text.withLock({ $0 }) { return made }
        // Two first replies at once may both make it: the same bytes either way.
        let made = make()
        text.withLock { $0 = made }
        return made
    }
}
