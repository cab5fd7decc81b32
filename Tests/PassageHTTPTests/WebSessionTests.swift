import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageHTTP
import PassageServices
import Testing

/// Sign-in and sign-out on the pages: the session cookie's attributes, the login form's
/// double-submit CSRF check, and every page sending a stranger to /login.
@Suite struct WebSessionTests {
    @Test func signingInSetsAnHttpOnlySameSiteStrictSessionCookieAndSendsEachRoleToItsPage() async throws {
        try await WebFixture.with { _, client in
            var browser = WebBrowser()
            let page = try await browser.go(client, "/login")
            #expect(page.status == .ok)
            #expect(page.text.contains("<form id=\"login\""))
            let response = try await browser.post(
                client, "/login",
                form: [
                    ("csrf", page.csrf ?? ""), ("user", "caseworker"), ("password", HTTPFixture.password("caseworker")),
                ])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("passage_session=") }
            let attributes = Set(cookie?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Strict"))
            #expect(attributes.contains("Path=/"))
            #expect(attributes.contains("Max-Age=28800"))
            // Not TLS in the fixture, so not Secure (HTTPSettings.secure turns it on).
            #expect(!attributes.contains("Secure"))
            let start = try await browser.go(client, "/")
            #expect(start.status == .seeOther)
            #expect(start.headers[.location] == "/referrals")

            for (name, page) in [("analyst", "/statistics"), ("policy", "/gaps")] {
                var other = try await WebBrowser.signedIn(client, name)
                #expect(try await other.go(client, "/").headers[.location] == page)
            }
        }
    }

    @Test func underTLSTheCookiesAreSecure() async throws {
        try await WebFixture.with(settings: HTTPSettings(secure: true)) { _, client in
            var browser = WebBrowser()
            let page = try await browser.go(client, "/login?lang=fr")
            #expect(page.headers[values: .setCookie].allSatisfy { $0.contains("; Secure") })
            let response = try await browser.post(
                client, "/login",
                form: [("csrf", page.csrf ?? ""), ("user", "policy"), ("password", HTTPFixture.password("policy"))])
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("passage_session=") }
            #expect(cookie?.contains("; Secure") == true)
            #expect(response.headers[.strictTransportSecurity] != nil)
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutASessionCookie() async throws {
        try await WebFixture.with { _, client in
            var browser = WebBrowser()
            let page = try await browser.go(client, "/login")
            let response = try await browser.post(
                client, "/login", form: [("csrf", page.csrf ?? ""), ("user", "caseworker"), ("password", "wrong")])
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("id=\"login-error\""))
            #expect(browser.cookies["passage_session"] == nil)
        }
    }

    @Test func theLoginFormWithoutItsCSRFCookieOrWithAnotherValueIsRefused() async throws {
        try await WebFixture.with { _, client in
            // No GET /login first: no double-submit cookie.
            var stranger = WebBrowser()
            let forged = try await stranger.post(
                client, "/login",
                form: [
                    ("csrf", String(repeating: "A", count: 43)), ("user", "caseworker"),
                    ("password", HTTPFixture.password("caseworker")),
                ])
            #expect(forged.status == .forbidden)
            #expect(stranger.cookies["passage_session"] == nil)
            // The cookie is there but the field is another value.
            var browser = WebBrowser()
            _ = try await browser.go(client, "/login")
            let wrong = try await browser.post(
                client, "/login",
                form: [
                    ("csrf", String(repeating: "B", count: 43)), ("user", "caseworker"),
                    ("password", HTTPFixture.password("caseworker")),
                ])
            #expect(wrong.status == .forbidden)
            #expect(browser.cookies["passage_session"] == nil)
        }
    }

    @Test func pagesSendAStrangerToLoginAndAForgedCookieToo() async throws {
        try await WebFixture.with { _, client in
            var stranger = WebBrowser()
            for path in ["/", "/referrals", "/cases/1", "/statistics", "/gaps"] {
                let response = try await stranger.go(client, path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location] == "/login", "\(path)")
            }
            var forged = WebBrowser(cookies: ["passage_session": String(repeating: "A", count: 43)])
            let response = try await forged.go(client, "/referrals")
            #expect(response.headers[.location] == "/login")
            #expect(forged.cookies["passage_session"] == nil)  // cleared
        }
    }

    @Test func signingOutNeedsTheSessionsCSRFFieldThenEndsTheSession() async throws {
        try await WebFixture.with { fixture, client in
            var browser = try await WebBrowser.signedIn(client, "analyst")
            let page = try await browser.go(client, "/statistics")
            #expect(page.status == .ok)
            let token = browser.cookies["passage_session"] ?? ""
            // Without the field: refused, still signed in.
            let refused = try await browser.post(client, "/logout", form: [("logout", "")])
            #expect(refused.status == .forbidden)
            #expect(try await browser.go(client, "/statistics").status == .ok)
            let response = try await browser.post(client, "/logout", form: [("csrf", page.csrf ?? "")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login")
            #expect(browser.cookies["passage_session"] == nil)
            // The token itself is ended, not only forgotten by the browser.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.signIn.resume(token: token, source: "192.0.2.1")
            }
        }
    }
}
