import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// One operation of the HTTP API, declared once: the route is registered from it, the OpenAPI
/// document is generated from it, and its `useCase` ties it to the console command that does
/// the same (UseCase in PassageCore: one role matrix for both interfaces).
public struct APIOperation: Sendable {
    public enum Access: Sendable {
        /// No sign-in (sessions, health).
        case anyone
        /// Signed in, any role (sign-out, who am I).
        case signedIn
        /// Signed in with a role the use case allows.
        case useCase(UseCase)
    }

    public struct Parameter: Sendable {
        public enum Place: String, Sendable { case path, query, header }
        public let name: String
        public let place: Place
        public let schema: JSONSchema
        public let description: String
        public let required: Bool

        public static func path(_ name: String, _ description: String, schema: JSONSchema = .integer(minimum: 1))
            -> Parameter
        {
            Parameter(name: name, place: .path, schema: schema, description: description, required: true)
        }

        public static func query(_ name: String, _ description: String, schema: JSONSchema = .string())
            -> Parameter
        {
            Parameter(name: name, place: .query, schema: schema, description: description, required: false)
        }

        public static func header(_ name: String, _ description: String, required: Bool = false) -> Parameter {
            Parameter(name: name, place: .header, schema: .string(), description: description, required: required)
        }
    }

    /// A documented answer: status, what it means, and its body by media type.
    public struct Answer: Sendable {
        public let status: Int
        public let description: String
        /// Media type → schema; empty for a body-less answer.
        public let content: [(String, JSONSchema)]
        /// Response headers it sets (ETag, Location …), name → description.
        public let headers: [(String, String)]

        public init(_ status: Int, _ description: String, json: JSONSchema? = nil, headers: [(String, String)] = []) {
            self.status = status
            self.description = description
            self.content = json.map { [("application/json", $0)] } ?? []
            self.headers = headers
        }

        public init(
            _ status: Int, _ description: String, content: [(String, JSONSchema)], headers: [(String, String)] = []
        ) {
            self.status = status
            self.description = description
            self.content = content
            self.headers = headers
        }
    }

    public typealias Run = @Sendable (APICall) async throws -> Response

    /// `operationId` in the document: a verb phrase in camel case (`showCase`).
    public let id: String
    public let method: HTTPRequest.Method
    /// OpenAPI form: `/v1/cases/{case}`.
    public let path: String
    public let summary: String
    public let tag: String
    public let access: Access
    public let parameters: [Parameter]
    public let requestBody: JSONSchema?
    public let answers: [Answer]
    public let run: Run

    public init(
        _ id: String, _ method: HTTPRequest.Method, _ path: String, tag: String, summary: String, access: Access,
        parameters: [Parameter] = [], requestBody: JSONSchema? = nil, answers: [Answer], run: @escaping Run
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.tag = tag
        self.summary = summary
        self.access = access
        self.parameters = parameters
        self.requestBody = requestBody
        self.answers = answers
        self.run = run
    }

    /// The same path in the router's syntax (`/v1/cases/:case`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    /// The console command that does the same, for the contract test; nil for HTTP's own.
    public var useCase: UseCase? {
        if case .useCase(let useCase) = access { return useCase }
        return nil
    }

    /// Whether `role` may call it (signed in).
    func allows(_ role: Role) -> Bool {
        switch access {
        case .anyone, .signedIn: true
        case .useCase(let useCase): useCase.allows(role)
        }
    }
}
