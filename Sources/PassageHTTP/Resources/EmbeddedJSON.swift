import Foundation

/// A JSON text the core already wrote (a case's canonical facts, the classification result line
/// of the case-facts contract), carried inside a resource as the object it is rather than as a
/// string holding JSON: decoded once, encoded with the rest of the answer.
enum EmbeddedJSON: Encodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([EmbeddedJSON])
    case object([String: EmbeddedJSON])

    /// The value of `text`; a text that is not JSON (a stored record the core no longer reads)
    /// is a fault of ours, reported as such.
    init(parsing text: String) throws {
        self = try JSONDecoder().decode(Decoded.self, from: Data(text.utf8)).value
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .integer(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let values):
            var list = encoder.unkeyedContainer()
            for value in values { try list.encode(value) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for (name, value) in members { try object.encode(value, forKey: Key(stringValue: name)) }
        }
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decoding, kept apart so the resource types stay encode-only.
    private struct Decoded: Decodable {
        let value: EmbeddedJSON

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                var members: [String: EmbeddedJSON] = [:]
                for key in object.allKeys {
                    members[key.stringValue] = try object.decode(Decoded.self, forKey: key).value
                }
                value = .object(members)
                return
            }
            if var list = try? decoder.unkeyedContainer() {
                var values: [EmbeddedJSON] = []
                while !list.isAtEnd { values.append(try list.decode(Decoded.self).value) }
                value = .array(values)
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let bool = try? single.decode(Bool.self) {
                value = .bool(bool)
            } else if let integer = try? single.decode(Int64.self) {
                value = .integer(integer)
            } else if let number = try? single.decode(Double.self) {
                value = .number(number)
            } else {
                value = .string(try single.decode(String.self))
            }
        }
    }
}
