import Crypto
import Foundation

/// The hidden `csrf` field of every form (Docs/http-api.md "Web pages").
///
/// Signed in, the field is HMAC-SHA256 keyed with the session token over a fixed label. Why
/// keyed by the token rather than by a key drawn at each server start: the value is bound to
/// the session (another session's field is worthless), reveals nothing of the token (a page
/// that leaks, through a cache or a screenshot, does not leak the session), and stays valid
/// across a restart and across several servers behind one address, as the session itself
/// does — a form left open over a restart still works. Forging it needs the token, which the
/// HttpOnly cookie keeps from scripts and the SameSite=Strict cookie from other sites.
///
/// Before sign-in there is no token: the login form uses a double-submit cookie instead — a
/// random value in the `passage_login_csrf` cookie (SameSite=Strict, HttpOnly) that the form
/// must repeat, so another site cannot post a login into a victim's browser.
enum WebCSRF {
    static let fieldName = "csrf"
    private static let label = Data("passage web form v1".utf8)

    /// The field's value for the session `token`.
    static func field(forSession token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: label, using: SymmetricKey(data: Data(token.utf8)))
        return Base64URL.encode(Data(code))
    }

    /// Whether `field` is the value for `token` (compared in constant time).
    static func accepts(_ field: String?, forSession token: String) -> Bool {
        guard let field, let code = Base64URL.decode(field), code.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            code, authenticating: label, using: SymmetricKey(data: Data(token.utf8)))
    }

    /// A fresh random value for the login form's double-submit cookie.
    static func loginValue() -> String {
        Base64URL.encode(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
    }

    /// Whether the login form repeated its cookie's value: both present, 43 characters, equal
    /// (compared in constant time).
    static func loginAccepts(field: String?, cookie: String?) -> Bool {
        guard let field, let cookie, field.utf8.count == 43, cookie.utf8.count == 43 else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(field.utf8, cookie.utf8) { difference |= a ^ b }
        return difference == 0
    }
}

/// Base64url without padding (RFC 4648 section 5): safe in cookies, form fields and URLs.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        guard text.utf8.count <= 256 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
