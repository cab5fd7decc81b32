import Foundation

/// A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as the operation declarations write it.
/// Only what the API's bodies use; each resource type declares its schema beside its fields, and
/// the tests check every response against it (Tests/PassageHTTPTests/SchemaConformance.swift).
public indirect enum JSONSchema: Sendable {
    case string(description: String? = nil, format: String? = nil, choices: [String]? = nil, maxLength: Int? = nil)
    case integer(description: String? = nil, minimum: Int? = nil, maximum: Int? = nil)
    case number(description: String? = nil)
    case boolean(description: String? = nil)
    case array(of: JSONSchema, description: String? = nil)
    /// Properties in order; `required` lists those always present. No other properties.
    case object(_ properties: [(String, JSONSchema)], required: [String], description: String? = nil)
    /// A free-form object (string keys, values of `values`), such as case facts.
    case map(values: JSONSchema, description: String? = nil)
    /// This or JSON null.
    case nullable(JSONSchema)
    /// A component in `#/components/schemas`.
    case reference(String)
    /// Any JSON value (facts' values).
    case any(description: String? = nil)

    /// The schema as a JSON object, ready for JSONSerialization.
    public var json: [String: Any] {
        switch self {
        case .string(let description, let format, let choices, let maxLength):
            var out: [String: Any] = ["type": "string"]
            if let format { out["format"] = format }
            if let choices { out["enum"] = choices }
            if let maxLength { out["maxLength"] = maxLength }
            return Self.described(out, description)
        case .integer(let description, let minimum, let maximum):
            var out: [String: Any] = ["type": "integer"]
            if let minimum { out["minimum"] = minimum }
            if let maximum { out["maximum"] = maximum }
            return Self.described(out, description)
        case .number(let description): return Self.described(["type": "number"], description)
        case .boolean(let description): return Self.described(["type": "boolean"], description)
        case .array(let items, let description):
            return Self.described(["type": "array", "items": items.json], description)
        case .object(let properties, let required, let description):
            var props: [String: Any] = [:]
            for (name, schema) in properties { props[name] = schema.json }
            var out: [String: Any] = ["type": "object", "properties": props, "additionalProperties": false]
            if !required.isEmpty { out["required"] = required }
            return Self.described(out, description)
        case .map(let values, let description):
            return Self.described(["type": "object", "additionalProperties": values.json], description)
        case .nullable(let inner):
            // OpenAPI 3.1: a type list, or for a reference, oneOf with null.
            var out = inner.json
            if let type = out["type"] as? String {
                out["type"] = [type, "null"]
                if var choices = out["enum"] as? [Any] {
                    choices.append(NSNull())
                    out["enum"] = choices
                }
                return out
            }
            return ["oneOf": [out, ["type": "null"]]]
        case .reference(let name): return ["$ref": "#/components/schemas/\(name)"]
        case .any(let description): return Self.described([:], description)
        }
    }

    private static func described(_ object: [String: Any], _ description: String?) -> [String: Any] {
        guard let description else { return object }
        var out = object
        out["description"] = description
        return out
    }
}
