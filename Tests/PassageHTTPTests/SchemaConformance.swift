import Foundation
import HummingbirdTesting
import PassageHTTP
import Testing

/// Checks an answer's JSON body against the schema its operation declares in the OpenAPI
/// document (the generated one, as `/openapi.json` serves it), so a resource's fields and its
/// `static let schema` cannot drift apart unnoticed. Covers the JSON Schema the declarations
/// produce: type (or [type, "null"]), enum, properties, required, additionalProperties, items,
/// oneOf, $ref, minimum, maximum, maxLength and format date-time.
enum SchemaConformance {
    // Built once and only read: [String: Any] is not Sendable, but nothing mutates it.
    nonisolated(unsafe) static let document: [String: Any] = OpenAPIDocument.json(
        PassageAPI.operations, version: "test")

    /// What is wrong with `response` as the answer `status` of operation `operationID`; empty
    /// when it conforms.
    static func problems(_ response: TestResponse, operationID: String) -> [String] {
        guard let schema = responseSchema(operationID, status: Int(response.status.code)) else {
            return ["\(operationID) documents no JSON answer \(response.status.code)"]
        }
        guard
            let body = try? JSONSerialization.jsonObject(
                with: Data(buffer: response.body), options: [.fragmentsAllowed])
        else { return ["the body is not JSON: \(String(buffer: response.body).prefix(200))"] }
        return problems(body, schema, at: "$")
    }

    static func responseSchema(_ operationID: String, status: Int) -> [String: Any]? {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        for methods in paths.values {
            for case let operation as [String: Any] in methods.values
            where operation["operationId"] as? String == operationID {
                let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                let content = responses[String(status)]?["content"] as? [String: [String: Any]] ?? [:]
                return (content["application/json"] ?? content["application/problem+json"])?["schema"] as? [String: Any]
            }
        }
        return nil
    }

    static func problems(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            let components = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]
            guard let target = components?[name] else { return ["\(path): unknown reference \(reference)"] }
            return problems(value, target, at: path)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            return choices.contains { problems(value, $0, at: path).isEmpty }
                ? [] : ["\(path): matches none of oneOf"]
        }
        var types: [String] = []
        if let type = schema["type"] as? String { types = [type] }
        if let list = schema["type"] as? [String] { types = list }
        if value is NSNull {
            return types.isEmpty || types.contains("null") ? [] : ["\(path): null, but must be \(types)"]
        }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { "\($0)" == "\(value)" }) {
            return ["\(path): \(value) is not one of \(choices)"]
        }
        guard let type = types.first(where: { $0 != "null" }) else { return [] }
        switch type {
        case "string":
            guard let text = value as? String else { return ["\(path): \(value) is not a string"] }
            if let maximum = schema["maxLength"] as? Int, text.count > maximum {
                return ["\(path): longer than \(maximum)"]
            }
            if schema["format"] as? String == "date-time", ISO8601DateFormatter().date(from: text) == nil {
                return ["\(path): \(text) is not an ISO 8601 date-time"]
            }
            return []
        case "integer", "number":
            guard !(value is String), let number = value as? NSNumber else {
                return ["\(path): \(value) is not a number"]
            }
            if type == "integer", number.doubleValue != number.doubleValue.rounded() {
                return ["\(path): \(number) is not whole"]
            }
            if let minimum = schema["minimum"] as? Int, number.doubleValue < Double(minimum) {
                return ["\(path): \(number) is below \(minimum)"]
            }
            if let maximum = schema["maximum"] as? Int, number.doubleValue > Double(maximum) {
                return ["\(path): \(number) is above \(maximum)"]
            }
            return []
        case "boolean":
            return value is Bool ? [] : ["\(path): \(value) is not a boolean"]
        case "array":
            guard let items = value as? [Any] else { return ["\(path): not an array"] }
            guard let itemSchema = schema["items"] as? [String: Any] else { return [] }
            return items.enumerated().flatMap { problems($0.element, itemSchema, at: "\(path)[\($0.offset)]") }
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            var out: [String] = []
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                out.append("\(path).\(name) is required but missing")
            }
            for (name, field) in object.sorted(by: { $0.key < $1.key }) {
                if let fieldSchema = properties[name] {
                    out += problems(field, fieldSchema, at: "\(path).\(name)")
                } else if let values = schema["additionalProperties"] as? [String: Any] {
                    out += problems(field, values, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    out.append("\(path).\(name) is not in the schema")
                }
            }
            return out
        default:
            return []
        }
    }
}

/// The check can fail: a body that drifted from its schema is reported, field by field.
@Suite struct SchemaConformanceTests {
    @Test func aBodyThatDriftedFromItsSchemaIsReported() throws {
        let schema = try #require(SchemaConformance.responseSchema("createReferral", status: 201))
        let good: [String: Any] = [
            "referral": 1, "status": "pending", "priority": "urgent", "due_at": "2026-12-02T08:15:56Z", "version": 1,
        ]
        #expect(SchemaConformance.problems(good, schema, at: "$") == [])
        var drifted = good
        drifted["version"] = nil
        drifted["status"] = "lost"
        drifted["extra"] = true
        drifted["due_at"] = "tomorrow"
        #expect(
            SchemaConformance.problems(drifted, schema, at: "$").sorted() == [
                "$.due_at: tomorrow is not an ISO 8601 date-time", "$.extra is not in the schema",
                "$.status: lost is not one of [\"pending\", \"accepted\", \"declined\", \"completed\", \"cancelled\"]",
                "$.version is required but missing",
            ])
    }
}
