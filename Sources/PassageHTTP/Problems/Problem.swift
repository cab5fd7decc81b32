import Foundation
import HTTPTypes
import Hummingbird
import PassageServices

/// An error answer in the form of RFC 9457 ("problem details", `application/problem+json`).
/// `type` is a relative URI naming the kind of problem (Docs/http-api.md "Problems"), `argument`
/// names the input that was wrong, so a program never has to read `detail`.
public struct Problem: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let type: String
    public let title: String
    public let detail: String
    public var argument: String?
    /// Extra headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: [(HTTPField.Name, String)] = []

    public init(
        _ status: HTTPResponse.Status, type: String, title: String, detail: String, argument: String? = nil
    ) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.argument = argument
    }

    public static func == (lhs: Problem, rhs: Problem) -> Bool {
        lhs.status == rhs.status && lhs.type == rhs.type && lhs.detail == rhs.detail && lhs.argument == rhs.argument
    }

    public static func badArgument(_ argument: String, _ message: String) -> Problem {
        Problem(
            .badRequest, type: "/problems/bad-argument", title: "An input is wrong", detail: "\(argument): \(message)",
            argument: argument)
    }

    public static func notSignedIn(
        _ detail: String = "sign in first: POST /v1/sessions, then send Authorization: Bearer <token>"
    )
        -> Problem
    {
        var problem = Problem(.unauthorized, type: "/problems/not-signed-in", title: "Not signed in", detail: detail)
        problem.headers = [(.wwwAuthenticate, "Bearer realm=\"passage\"")]
        return problem
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: "/problems/forbidden", title: "Not allowed for this role", detail: detail)
    }

    public static let notFound = Problem(
        .notFound, type: "/problems/not-found", title: "Not found", detail: "no such resource")

    /// The one mapping from a use case's outcome to an HTTP status (the console has its own, to
    /// reply codes, in ConsoleError+ServiceError.swift).
    public init(_ error: ServiceError) {
        switch error {
        case .notFound(let text):
            self.init(.notFound, type: "/problems/not-found", title: "Not found", detail: text)
        case .conflict(let text):
            self.init(.conflict, type: "/problems/conflict", title: "Conflicts with the current state", detail: text)
        case .staleVersion(let text):
            self = EntityTag.stale(text)
        case .consentRequired(let text):
            self.init(
                .unprocessableContent, type: "/problems/consent-required", title: "The person's consent is needed",
                detail: text)
        case .unavailable(let text):
            self.init(
                .serviceUnavailable, type: "/problems/unavailable", title: "Temporarily unavailable; safe to retry",
                detail: text)
        case .badArgument(let argument, let message):
            self = .badArgument(argument, message)
        case .permissionDenied(let text):
            self = .forbidden(text)
        case .sessionEnded(let text):
            self = .notSignedIn(text)
        case .busy(let text):
            self.init(.tooManyRequests, type: "/problems/busy", title: "Limit reached; retry later", detail: text)
            self.headers = [(.retryAfter, "5")]
        }
    }

    /// The response: problem+json, never cached.
    public var response: Response {
        var object: [String: Any] = [
            "type": type, "title": title, "status": Int(status.code), "detail": detail,
        ]
        if let argument { object["argument"] = argument }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var fields = HTTPFields()
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        for (name, value) in headers { fields[name] = value }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The schema of a problem in the OpenAPI document.
    static let schema = JSONSchema.object(
        [
            ("type", .string(description: "relative URI naming the kind of problem")),
            ("title", .string()), ("status", .integer()), ("detail", .string()),
            ("argument", .string(description: "the input that was wrong, as sent")),
        ], required: ["type", "title", "status", "detail"],
        description: "RFC 9457 problem details")
}
