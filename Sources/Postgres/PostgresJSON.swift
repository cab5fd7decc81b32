import Foundation

/// A JSON document stored in a json/jsonb column. Sent as jsonb (which also assigns to json
/// columns); read from either.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    /// The JSON text exactly as given or as the server printed it.
    public let rawJSON: String

    /// Wraps JSON text; the server validates it when the statement runs.
    public init(rawJSON: String) {
        self.rawJSON = rawJSON
    }

    /// Encodes a value with `JSONEncoder` (sorted keys, so equal values give equal text).
    public init<Value: Encodable>(encoding value: Value, encoder: JSONEncoder = PostgresJSON.defaultEncoder()) throws {
        let data = try encoder.encode(value)
        self.rawJSON = String(decoding: data, as: UTF8.self)
    }

    /// Decodes the document with `JSONDecoder`.
    public func decode<Value: Decodable>(as type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(rawJSON.utf8))
    }

    public static func defaultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static var postgresDataType: PostgresDataType { .jsonb }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(1)  // jsonb binary format version
        buffer.append(contentsOf: rawJSON.utf8)
    }

    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> PostgresJSON? {
        PostgresJSON(rawJSON: text.utf8String)
    }
}
