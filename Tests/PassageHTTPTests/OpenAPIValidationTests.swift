import Foundation
import PassageCore
import PassageHTTP
import TestSupport
import Testing

/// Issue 20: the OpenAPI 3.1 document generated from the operation declarations is "checked in
/// CI by a validator". The validator is openapi-spec-validator from PyPI (installed by
/// Deploy/install-deps.sh); these tests run it on the same bytes `/openapi.json` serves and
/// `passage docs openapi` prints, then check what the validator cannot know: our own rules for
/// ids, paths and documented problem answers (Docs/http-api.md).
@Suite struct OpenAPIValidationTests {
    static let document = OpenAPIDocument.data(PassageAPI.operations, version: PassageVersion.current)

    /// The endpoints every deployment has outside the versioned API; they are not operations.
    static let unversioned = ["/openapi.json", "/healthz", "/readyz"]

    /// Runs openapi-spec-validator (as OpenAPI 3.1, every error listed) on `data`.
    static func validate(_ data: Data) async throws -> (status: Int32, output: String) {
        let path = NSTemporaryDirectory() + "passage-openapi-\(UUID().uuidString).json"
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await PythonCheck.runProgram(
            "/usr/bin/env",
            ["python3", "-m", "openapi_spec_validator", "--schema", "3.1", "--validation-errors", "all", path])
    }

    static func parsed() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
    }

    /// Every operation object of the document with its method and path.
    static func operations() throws -> [(method: String, path: String, object: [String: Any])] {
        let paths = try #require(try parsed()["paths"] as? [String: [String: Any]])
        var out: [(String, String, [String: Any])] = []
        for (path, methods) in paths {
            for (method, object) in methods {
                out.append((method, path, try #require(object as? [String: Any], "\(method) \(path)")))
            }
        }
        return out.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    @Test func theGeneratedDocumentPassesTheOpenAPIValidator() async throws {
        let (status, output) = try await Self.validate(Self.document)
        #expect(status == 0, "openapi-spec-validator refused the generated document:\n\(output)")
        #expect(output.contains("OK"), "openapi-spec-validator said:\n\(output)")
    }

    /// The check above can fail: the same validator refuses the document with a required field gone.
    @Test func theValidatorRefusesABrokenDocument() async throws {
        var broken = try Self.parsed()
        var info = try #require(broken["info"] as? [String: Any])
        info["title"] = nil
        broken["info"] = info
        let (status, output) = try await Self.validate(try JSONSerialization.data(withJSONObject: broken))
        #expect(status != 0, "openapi-spec-validator accepted a document without info.title:\n\(output)")
        #expect(output.contains("'title' is a required property"), "openapi-spec-validator said:\n\(output)")
    }

    @Test func theDocumentIsOpenAPI31AndHoldsEveryDeclaredOperation() throws {
        let document = try Self.parsed()
        #expect(document["openapi"] as? String == "3.1.0")
        // Two declarations on one method and path would silently overwrite each other.
        let operations = try Self.operations()
        #expect(
            operations.count == PassageAPI.operations.count,
            "the document has \(operations.count) operations, the declarations \(PassageAPI.operations.count)")
    }

    @Test func operationIdsAreUnique() throws {
        var seen: [String: String] = [:]
        for operation in try Self.operations() {
            let id = try #require(operation.object["operationId"] as? String, "\(operation.method) \(operation.path)")
            #expect(!id.isEmpty, "\(operation.method) \(operation.path) has an empty operationId")
            if let other = seen[id] {
                Issue.record("operationId \(id) names both \(other) and \(operation.method) \(operation.path)")
            }
            seen[id] = "\(operation.method) \(operation.path)"
        }
    }

    @Test func everyPathIsVersionedAndTheUnversionedEndpointsAreNotOperations() throws {
        for operation in try Self.operations() {
            #expect(operation.path.hasPrefix("/v1/"), "\(operation.method) \(operation.path) lacks the /v1/ prefix")
        }
        let paths = try #require(try Self.parsed()["paths"] as? [String: Any])
        for path in Self.unversioned {
            #expect(paths[path] == nil, "\(path) is in the document as an operation")
        }
    }

    /// Each operation documents the problem answers it can give, each as RFC 9457 problem+json:
    /// 400 when it takes input, 401 and 403 when it needs a session, 404 when its path names a
    /// record (a path parameter that is not a choice from a list), 412 and 428 when it takes If-Match.
    @Test func everyOperationDocumentsItsProblemAnswers() throws {
        for operation in try Self.operations() {
            let name = "\(operation.method.uppercased()) \(operation.path)"
            let responses = try #require(operation.object["responses"] as? [String: [String: Any]], "\(name)")
            let parameters = operation.object["parameters"] as? [[String: Any]] ?? []
            var expected: Set<String> = []
            if !parameters.isEmpty || operation.object["requestBody"] != nil { expected.insert("400") }
            let security = operation.object["security"] as? [[String: Any]] ?? []
            if !security.isEmpty { expected.formUnion(["401", "403"]) }
            // A path parameter names a record (a case, a user …) unless it is a choice from a
            // list (`/v1/gaps/{kind}`): an unknown choice is a 400, a missing record a 404.
            let namesRecord = parameters.contains { parameter in
                parameter["in"] as? String == "path" && (parameter["schema"] as? [String: Any])?["enum"] == nil
            }
            if namesRecord { expected.insert("404") }
            if parameters.contains(where: { ($0["name"] as? String)?.lowercased() == "if-match" }) {
                expected.formUnion(["412", "428"])
            }
            for status in expected.sorted() {
                #expect(responses[status] != nil, "\(name) does not document its \(status) answer")
            }
            let clientErrors = responses.keys.filter { $0.hasPrefix("4") }
            #expect(!clientErrors.isEmpty, "\(name) documents no 4xx answer")
            for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                let content = response["content"] as? [String: [String: Any]] ?? [:]
                let schema = content["application/problem+json"]?["schema"] as? [String: Any]
                let reference = schema?["$ref"] as? String
                #expect(
                    reference == "#/components/schemas/Problem",
                    "\(name) \(status) is not documented as application/problem+json with the Problem schema: \(content.keys.sorted())"
                )
                #expect(!(response["description"] as? String ?? "").isEmpty, "\(name) \(status) has no description")
            }
        }
    }
}
