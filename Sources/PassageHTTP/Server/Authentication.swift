import HTTPTypes
import Hummingbird
import PassageServices

/// Who is asking: the bearer token of `Authorization`, checked by the sign-in service (the same
/// session rules as the console: a lock, a new password or role, or the account's removal ends
/// it). The web pages send the same token in their session cookie (WebSession).
enum Authentication {
    static func actor(
        for request: Request, context: APIRequestContext, services: ApplicationServices
    ) async throws -> Actor {
        guard let header = request.headers[.authorization] else { throw Problem.notSignedIn() }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.notSignedIn("Authorization must be \"Bearer <token>\" with a token from POST /v1/sessions")
        }
        return try await actor(token: String(parts[1]), context: context, services: services)
    }

    static func actor(token: String, context: APIRequestContext, services: ApplicationServices) async throws -> Actor {
        do {
            return try await services.signIn.resume(token: token, source: context.source)
        } catch .sessionEnded(let text) {
            throw Problem.notSignedIn(text)
        } catch {
            throw Problem(error)
        }
    }
}
