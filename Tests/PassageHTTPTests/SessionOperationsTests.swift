import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

@Suite struct SessionOperationsTests {
    @Test func signInGivesATokenThatIdentifiesTheUser() async throws {
        try await HTTPFixture.with { _, client in
            let session = try await client.signIn("caseworker")
            let me = try await client.call(.get, "/v1/me", as: session)
            #expect(me.status == .ok)
            #expect(me.json?["user"] as? String == "caseworker")
            #expect(me.json?["role"] as? String == "caseworker")
            #expect(me.json?["organisation"] as? String == "Alpha")
        }
    }

    @Test func aWrongPasswordIs401ProblemAndGivesNoToken() async throws {
        try await HTTPFixture.with { _, client in
            let response = try await client.call(
                .post, "/v1/sessions", as: nil, json: ["user": "caseworker", "password": "wrong"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json?["type"] as? String == "/problems/sign-in-failed")
            #expect(response.json?["token"] == nil)
        }
    }

    @Test func aMissingFieldIsNamed() async throws {
        try await HTTPFixture.with { _, client in
            let response = try await client.call(.post, "/v1/sessions", as: nil, json: ["user": "caseworker"])
            #expect(response.status == .badRequest)
            #expect(response.json?["argument"] as? String == "password")
        }
    }

    @Test func withoutATokenOperationsAre401() async throws {
        try await HTTPFixture.with { _, client in
            let response = try await client.call(.get, "/v1/me", as: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let forged = try await client.call(.get, "/v1/me", as: SignedIn(token: String(repeating: "A", count: 43)))
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func signOutEndsTheToken() async throws {
        try await HTTPFixture.with { _, client in
            let session = try await client.signIn("analyst")
            #expect(try await client.call(.delete, "/v1/sessions/current", as: session).status == .noContent)
            #expect(try await client.call(.get, "/v1/me", as: session).status == .unauthorized)
        }
    }

    @Test func aTokenStopsWorkingWhenTheUserIsLocked() async throws {
        try await HTTPFixture.with { fixture, client in
            let session = try await client.signIn("caseworker")
            #expect(try await client.call(.get, "/v1/me", as: session).status == .ok)
            let admin = Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test")
            _ = try await fixture.services.users.lock("caseworker", by: admin)
            #expect(try await client.call(.get, "/v1/me", as: session).status == .unauthorized)
        }
    }

    @Test func healthAndReadinessSayNothingElse() async throws {
        try await HTTPFixture.with { _, client in
            let health = try await client.call(.get, "/healthz", as: nil)
            #expect(health.status == .ok)
            #expect(health.text == "ok\n")
            #expect(try await client.call(.get, "/readyz", as: nil).status == .ok)
        }
        try await HTTPFixture.with(ready: false) { _, client in
            let readiness = try await client.call(.get, "/readyz", as: nil)
            #expect(readiness.status == .serviceUnavailable)
        }
    }

    @Test func unknownPathsAreProblemDetailsWithSecurityHeaders() async throws {
        try await HTTPFixture.with { _, client in
            let response = try await client.call(.get, "/v1/nothing-here", as: nil)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }
}
