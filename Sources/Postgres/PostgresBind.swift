/// A PostgreSQL type OID. Only the types this layer encodes or decodes are named.
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static let bool = PostgresDataType(16)
    public static let bytea = PostgresDataType(17)
    public static let int8 = PostgresDataType(20)
    public static let int2 = PostgresDataType(21)
    public static let int4 = PostgresDataType(23)
    public static let text = PostgresDataType(25)
    public static let oid = PostgresDataType(26)
    public static let json = PostgresDataType(114)
    public static let float4 = PostgresDataType(700)
    public static let float8 = PostgresDataType(701)
    public static let textArray = PostgresDataType(1009)
    public static let int8Array = PostgresDataType(1016)
    public static let float8Array = PostgresDataType(1022)
    public static let varchar = PostgresDataType(1043)
    public static let date = PostgresDataType(1082)
    public static let timestamp = PostgresDataType(1114)
    public static let timestamptz = PostgresDataType(1184)
    public static let numeric = PostgresDataType(1700)
    public static let uuid = PostgresDataType(2950)
    public static let jsonb = PostgresDataType(3802)

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .bytea: return "bytea"
        case .int8: return "int8"
        case .int2: return "int2"
        case .int4: return "int4"
        case .text: return "text"
        case .json: return "json"
        case .float8: return "float8"
        case .textArray: return "text[]"
        case .int8Array: return "int8[]"
        case .float8Array: return "float8[]"
        case .varchar: return "varchar"
        case .timestamptz: return "timestamptz"
        case .timestamp: return "timestamp"
        case .uuid: return "uuid"
        case .jsonb: return "jsonb"
        case .numeric: return "numeric"
        default: return "oid \(rawValue)"
        }
    }
}

/// One bound parameter as sent to the server: its type and its bytes in PostgreSQL's *binary*
/// format (nil = SQL NULL). Binary parameters carry an explicit length, so a value can never
/// be cut short by an embedded zero byte the way a C string would be.
public struct PostgresBind: Sendable, Hashable {
    public var type: PostgresDataType
    public var bytes: [UInt8]?

    public init(type: PostgresDataType, bytes: [UInt8]?) {
        self.type = type
        self.bytes = bytes
    }

    @inlinable
    public init<Value: PostgresEncodable>(_ value: Value) {
        var buffer: [UInt8] = []
        if value.encodesNull {
            self.init(type: Value.postgresDataType, bytes: nil)
        } else {
            value.encode(into: &buffer)
            self.init(type: Value.postgresDataType, bytes: buffer)
        }
    }
}

/// A Swift value that can be a bound parameter.
public protocol PostgresEncodable: Sendable {
    /// The parameter type announced to the server (so `SELECT \(x)` has a definite type).
    static var postgresDataType: PostgresDataType { get }
    /// Appends the value in PostgreSQL binary format.
    func encode(into buffer: inout [UInt8])
    /// True only for `Optional.none`, which is sent as SQL NULL.
    var encodesNull: Bool { get }
}

extension PostgresEncodable {
    public var encodesNull: Bool { false }
}

/// A Swift value that can be read from a result column (results arrive in text format, which
/// every PostgreSQL type has, so e.g. `String` can read any column).
public protocol PostgresDecodable {
    /// Parses the column's text representation; nil when the text is not a valid `Self`.
    static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Self?
    /// The value for SQL NULL, or nil when `Self` cannot represent NULL (only Optional can).
    static var decodedNull: Self? { get }
}

extension PostgresDecodable {
    public static var decodedNull: Self? { nil }
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresDataType: PostgresDataType { Wrapped.postgresDataType }
    public func encode(into buffer: inout [UInt8]) {
        if let value = self { value.encode(into: &buffer) }
    }
    public var encodesNull: Bool {
        switch self {
        case .none: return true
        case .some(let value): return value.encodesNull
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType)
        -> Wrapped??
    {
        Wrapped.decode(postgresText: text, type: type).map { .some($0) }
    }
    public static var decodedNull: Wrapped?? { .some(nil) }
}

extension [UInt8] {
    @inlinable mutating func appendBigEndian<I: FixedWidthInteger>(_ value: I) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
