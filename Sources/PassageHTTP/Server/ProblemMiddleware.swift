import HTTPTypes
import Hummingbird
import Logging
import PassageServices

/// Every error becomes a problem-details answer (RFC 9457): the operations throw `Problem` or
/// `ServiceError`, the router throws `HTTPError` for unknown paths and methods. Anything else
/// is a fault of ours: logged, answered 500 without its text (it may name internals).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response
        } catch let error as ServiceError {
            return Problem(error).response
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return Problem.notFound.response
            case .methodNotAllowed:
                return Problem(
                    .methodNotAllowed, type: "/problems/method-not-allowed", title: "Method not allowed",
                    detail: "\(request.method.rawValue) is not an operation on \(request.uri.path)"
                ).response
            default:
                return Problem(
                    error.status, type: "/problems/http", title: error.status.reasonPhrase,
                    detail: error.body ?? error.status.reasonPhrase
                ).response
            }
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Problem(
                .internalServerError, type: "/problems/internal", title: "Internal error",
                detail: "the server failed; nothing was changed unless the answer said so"
            ).response
        }
    }
}

/// Headers on every answer: no sniffing, no framing, no referrer leaking a case id, and a
/// Content-Security-Policy that allows only the server's own styles and scripts (no inline
/// script: the pages have none).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let secure: Bool

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        if secure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
