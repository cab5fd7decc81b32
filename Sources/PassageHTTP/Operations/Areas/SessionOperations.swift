import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `POST /v1/sessions` (the console's AUTH: same password check, throttling and audit, in the
/// sign-in service), `DELETE /v1/sessions/current` (sign-out) and `GET /v1/me` (WHOAMI).
enum SessionOperations {
    static let all = [signIn, signOut, me]

    struct SignIn: Decodable {
        let user: String
        let password: String
    }

    /// Who is signed in, as `/v1/me` and a new session show it.
    struct Identity: Encodable {
        let user: String
        let role: String
        let organisation: String

        init(_ actor: Actor) {
            user = actor.name
            role = actor.role.rawValue
            organisation = actor.organisation
        }

        static let schema = JSONSchema.object(
            [
                ("user", .string()), ("role", .string(choices: Role.allCases.map(\.rawValue))),
                ("organisation", .string()),
            ], required: ["user", "role", "organisation"])
    }

    struct Session: Encodable {
        let token: String
        let expires: Date
        let identity: Identity

        static let schema = JSONSchema.object(
            [
                ("token", .string(description: "send as Authorization: Bearer <token>")),
                ("expires", .string(format: "date-time")), ("identity", Identity.schema),
            ], required: ["token", "expires", "identity"])
    }

    static let signIn = APIOperation(
        "signIn", .post, "/v1/sessions", tag: "sessions", summary: "sign in and receive a bearer token",
        access: .anyone,
        requestBody: .object(
            [("user", .string(maxLength: 64)), ("password", .string(maxLength: 1024))],
            required: ["user", "password"]),
        answers: [
            .init(201, "Signed in", json: Session.schema),
            .init(401, "Wrong name or password, or a locked account (indistinguishable)", json: .reference("Problem")),
            .init(429, "Too many attempts from this network; retry later", json: .reference("Problem")),
        ]
    ) { call in
        let body = try await call.body(SignIn.self)
        let opening = try await call.services.signIn.openSession(
            user: body.user, password: body.password, source: call.context.source,
            lifetime: call.settings.sessionLifetime)
        switch opening {
        case .opened(let session):
            return try JSONResponse.make(
                Session(token: session.token, expires: session.expires, identity: Identity(session.actor)),
                status: .created)
        case .failed:
            throw Problem(
                .unauthorized, type: "/problems/sign-in-failed", title: "Sign-in failed",
                detail: "wrong user name or password, or the account is locked")
        case .locked:
            var problem = Problem(
                .tooManyRequests, type: "/problems/sign-in-throttled", title: "Too many attempts",
                detail: "too many sign-in attempts; wait and try again")
            problem.headers = [(.retryAfter, "60")]
            throw problem
        }
    }

    static let signOut = APIOperation(
        "signOut", .delete, "/v1/sessions/current", tag: "sessions", summary: "sign out: the token stops working",
        access: .signedIn, answers: [.init(204, "Signed out")]
    ) { call in
        guard let header = call.header(.authorization), let token = header.split(separator: " ").last else {
            throw Problem.notSignedIn()
        }
        try await call.services.signIn.closeSession(token: String(token), source: call.context.source)
        return JSONResponse.empty()
    }

    static let me = APIOperation(
        "whoAmI", .get, "/v1/me", tag: "sessions", summary: "show user, role and organisation",
        access: .signedIn, answers: [.init(200, "The signed-in user", json: Identity.schema)]
    ) { call in
        try JSONResponse.make(Identity(try call.actor()))
    }
}
