import Foundation
import PassageCore

/// The OpenAPI 3.1 document, generated from the operation declarations (the source of truth:
/// no hand-kept copy to drift). Served at `/openapi.json`, printed by `passage docs openapi`;
/// CI validates it (OpenAPIValidationTests) and the contract test compares it with the console.
public enum OpenAPIDocument {
    public static func json(_ operations: [APIOperation], version: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = describe(operation)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Passage",
                "version": version,
                "summary":
                    "Migration case management: cases and their classification, protection needs, referrals, anonymised statistics and protection gaps.",
                "description":
                    "The HTTP form of the Passage console (Docs/http-api.md). Every operation runs the same application service as its console command, with the same roles, organisation scope, audit and disclosure control. Errors are RFC 9457 problem details.",
                "license": ["name": "Proprietary"],
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description":
                            "A token from POST /v1/sessions; it ends at its expiry, at sign-out, and when the account is locked, removed or changed.",
                    ]
                ],
                "schemas": ["Problem": Problem.schema.json],
            ],
        ]
    }

    /// The document as bytes (sorted keys: the same declarations always give the same file).
    public static func data(_ operations: [APIOperation], version: String) -> Data {
        (try? JSONSerialization.data(
            withJSONObject: json(operations, version: version), options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
    }

    static func describe(_ operation: APIOperation) -> [String: Any] {
        var out: [String: Any] = [
            "operationId": operation.id, "summary": operation.summary, "tags": [operation.tag],
        ]
        if !operation.parameters.isEmpty {
            out["parameters"] = operation.parameters.map { parameter in
                [
                    "name": parameter.name, "in": parameter.place.rawValue, "required": parameter.required,
                    "description": parameter.description, "schema": parameter.schema.json,
                ] as [String: Any]
            }
        }
        if let body = operation.requestBody {
            out["requestBody"] = ["required": true, "content": ["application/json": ["schema": body.json]]]
        }
        var responses: [String: Any] = [:]
        for answer in operation.answers {
            var response: [String: Any] = ["description": answer.description]
            if !answer.content.isEmpty {
                var content: [String: Any] = [:]
                for (mediaType, schema) in answer.content {
                    // An error answer is a problem whatever the declaration wrote: ProblemMiddleware
                    // sends every one as application/problem+json.
                    let problem = answer.status >= 400 && mediaType == "application/json"
                    let type = problem ? "application/problem+json" : mediaType
                    content[type] = ["schema": schema.json]
                }
                response["content"] = content
            }
            if !answer.headers.isEmpty {
                var headers: [String: Any] = [:]
                for (name, description) in answer.headers {
                    headers[name] = ["description": description, "schema": ["type": "string"]]
                }
                response["headers"] = headers
            }
            responses[String(answer.status)] = response
        }
        for (status, description) in problems(of: operation) where responses[String(status)] == nil {
            responses[String(status)] = [
                "description": description,
                "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
            ]
        }
        out["responses"] = responses
        switch operation.access {
        case .anyone:
            out["security"] = [[String: Any]]()
        case .signedIn:
            out["security"] = [["bearer": [String]()]]
        case .useCase(let useCase):
            out["security"] = [["bearer": [String]()]]
            // Which console command does the same, and which roles may call it.
            out["x-passage-console-command"] = useCase.rawValue
            out["x-passage-roles"] = Role.allCases.filter(useCase.roles.contains).map(\.rawValue)
        }
        return out
    }

    /// The problem answers every operation of its kind can give.
    static func problems(of operation: APIOperation) -> [(Int, String)] {
        var out: [(Int, String)] = []
        if !operation.parameters.isEmpty || operation.requestBody != nil {
            out.append((400, "An input is wrong; `argument` names it"))
        }
        if case .anyone = operation.access {
        } else {
            out.append((401, "Not signed in, or the session ended"))
            out.append((403, "This role may not call this operation"))
        }
        out.append((503, "The database is unavailable; nothing was done, retrying is safe"))
        return out
    }
}
