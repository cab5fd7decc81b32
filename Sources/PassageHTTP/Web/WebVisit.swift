import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PassageCore
import PassageServices

/// One request to a page, as a page renders it: the language, the query, and — on pages that
/// need a sign-in — who is signed in and the session the forms are bound to.
struct WebVisit: Sendable {
    let request: Request
    let context: APIRequestContext
    let settings: HTTPSettings
    let texts: WebTexts
    let query: WebForm
    /// The signed-in user (nil on the login page).
    let actor: Actor?
    /// The session token from the cookie (never written into a page; only its HMAC is).
    let token: String?
    /// Set when `?lang=` chose a language: the answer remembers it.
    let languageCookie: Cookie?

    var language: WebLanguage { texts.language }

    /// The hidden CSRF field of this session's forms.
    var csrfField: String {
        HTML.hidden(WebCSRF.fieldName, token.map(WebCSRF.field(forSession:)) ?? "")
    }

    /// Whether the signed-in role may do `useCase` (the nav shows only what it may).
    func may(_ useCase: UseCase) -> Bool {
        actor.map { useCase.allows($0.role) } ?? false
    }

    /// The language and query of `request`, nobody signed in yet.
    static func anonymous(_ request: Request, _ context: APIRequestContext, settings: HTTPSettings) -> WebVisit {
        let query = WebForm(encoded: request.uri.query ?? "")
        var cookie: Cookie?
        let language: WebLanguage
        if let asked = query["lang"].flatMap(WebLanguage.init(rawValue:)) {
            language = asked
            cookie = WebSession.languageCookie(asked, secure: settings.secure)
        } else if let remembered = request.cookies[WebLanguage.cookieName].flatMap({
            WebLanguage(rawValue: $0.value)
        }) {
            language = remembered
        } else {
            language = WebLanguage.preferred(acceptLanguage: request.headers[.acceptLanguage]) ?? .en
        }
        return WebVisit(
            request: request, context: context, settings: settings, texts: WebTexts(language: language), query: query,
            actor: nil, token: nil, languageCookie: cookie)
    }

    func signedIn(as actor: Actor, token: String) -> WebVisit {
        WebVisit(
            request: request, context: context, settings: settings, texts: texts, query: query, actor: actor,
            token: token, languageCookie: languageCookie)
    }

    /// A page: HTML, never cached (case contents are personal data), in the visit's language.
    func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[.contentLanguage] = language.rawValue
        var response = Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
        if let languageCookie { response.setCookie(languageCookie) }
        return response
    }

    /// 303 See Other to `location` (after a form: the browser GETs the result, a reload does not post again).
    func redirect(_ location: String) -> Response {
        var fields = HTTPFields()
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        var response = Response(status: .seeOther, headers: fields)
        if let languageCookie { response.setCookie(languageCookie) }
        return response
    }

    /// A file to save (the statistics downloads).
    func download(_ text: String, contentType: String, filename: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = "no-store"
        fields[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The body of a POSTed form (at most 16 KiB: the pages' forms are small).
    func form() async throws -> WebForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 16 * 1024)
        } catch {
            throw WebRefusal(
                status: .contentTooLarge, title: "error.bad_request.title", text: "error.bad_request",
                detail: "the form is larger than 16 KiB")
        }
        return WebForm(encoded: String(buffer: buffer))
    }
}
