import Foundation
import Hummingbird

/// The cookies of the pages (Docs/http-api.md "Web pages"). The session cookie holds the same
/// token as `POST /v1/sessions` gives (the sign-in service's token session: random, stored as a
/// SHA-256 only, ended with the account's credentials); the browser keeps it HttpOnly (no
/// script reads it), SameSite=Strict (no other site's page sends it), Secure under TLS.
enum WebSession {
    static let cookieName = "passage_session"
    static let loginCookieName = "passage_login_csrf"

    /// The session cookie for `token`, lasting as long as the session.
    static func cookie(token: String, lifetime: Duration, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName, value: token, maxAge: Int(lifetime.components.seconds), path: "/", secure: secure,
            httpOnly: true, sameSite: .strict)
    }

    /// A cookie that tells the browser to forget `name` now.
    static func cleared(_ name: String, path: String = "/", secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The login form's double-submit value, valid for an hour, sent back only to /login.
    static func loginCookie(_ value: String, secure: Bool) -> Cookie {
        Cookie(
            name: loginCookieName, value: value, maxAge: 3600, path: "/login", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// The language remembered for a year.
    static func languageCookie(_ language: WebLanguage, secure: Bool) -> Cookie {
        Cookie(
            name: WebLanguage.cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: secure,
            httpOnly: true, sameSite: .strict)
    }

    /// The token of the request's session cookie, if it could be one (43 base64url characters).
    static func token(of request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.value, value.utf8.count == 43,
            value.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            })
        else { return nil }
        return value
    }
}
