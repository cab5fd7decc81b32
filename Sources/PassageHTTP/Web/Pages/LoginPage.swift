import Hummingbird
import PassageCore
import PassageServices

/// `GET /login`, `POST /login`, `POST /logout`: the session cookie opened and closed through
/// the sign-in service (the console's AUTH: same bcrypt check, throttling and `user.sign_in`
/// audit, plus `session.open` / `session.close`).
enum LoginPage {
    static func show(_ pages: WebPages, _ request: Request, _ context: APIRequestContext) async -> Response {
        let visit = WebVisit.anonymous(request, context, settings: pages.settings)
        // Already signed in: straight on.
        if let token = WebSession.token(of: request),
            (try? await pages.services.signIn.resume(token: token, source: context.source)) != nil
        {
            return visit.redirect("/")
        }
        return form(visit, pages, user: "", error: nil, status: .ok)
    }

    /// The form, with a fresh double-submit value in the login cookie and the hidden field.
    static func form(
        _ visit: WebVisit, _ pages: WebPages, user: String, error: String?, status: HTTPResponse.Status
    ) -> Response {
        let texts = visit.texts
        let value = WebCSRF.loginValue()
        var main = "<h1>\(HTML.escape(texts["login.title"]))</h1>\n"
        if let error {
            main += "<p id=\"login-error\" class=\"error\" role=\"alert\">\(HTML.escape(error))</p>\n"
        }
        main += """
            <form id="login" method="post" action="/login">
            \(HTML.hidden(WebCSRF.fieldName, value))
            <p><label for="user">\(HTML.escape(texts["login.user"]))</label>
            <input id="user" name="user" type="text" autocomplete="username" required maxlength="64" value="\(HTML.escape(user))"></p>
            <p><label for="password">\(HTML.escape(texts["login.password"]))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
            <p><button id="sign-in" type="submit">\(HTML.escape(texts["login.submit"]))</button></p>
            </form>
            """
        var response = visit.page(WebLayout.document(visit, title: texts["login.title"], main: main), status: status)
        response.setCookie(WebSession.loginCookie(value, secure: pages.settings.secure))
        return response
    }

    static func submit(_ pages: WebPages, _ request: Request, _ context: APIRequestContext) async -> Response {
        let visit = WebVisit.anonymous(request, context, settings: pages.settings)
        let texts = visit.texts
        guard let form = try? await visit.form(),
            WebCSRF.loginAccepts(
                field: form[WebCSRF.fieldName], cookie: request.cookies[WebSession.loginCookieName]?.value)
        else {
            return visit.page(
                WebLayout.message(
                    visit, title: texts["error.csrf.title"], text: texts["error.csrf.login"], back: "/login"),
                status: .forbidden)
        }
        let user = form["user"] ?? ""
        let password = form["password"] ?? ""
        guard !user.isEmpty, user.utf8.count <= 64, !password.isEmpty, password.utf8.count <= 1024 else {
            return Self.form(
                visit, pages, user: String(user.prefix(64)), error: texts["login.incomplete"], status: .badRequest)
        }
        let opening: SessionOpening
        do {
            opening = try await pages.services.signIn.openSession(
                user: user, password: password, source: context.source, lifetime: pages.settings.sessionLifetime)
        } catch {
            return pages.failure(visit, error)
        }
        switch opening {
        case .opened(let session):
            var response = visit.redirect("/")
            response.setCookie(
                WebSession.cookie(
                    token: session.token, lifetime: pages.settings.sessionLifetime, secure: pages.settings.secure))
            response.setCookie(
                WebSession.cleared(WebSession.loginCookieName, path: "/login", secure: pages.settings.secure))
            return response
        case .failed:
            return Self.form(visit, pages, user: user, error: texts["login.failed"], status: .unauthorized)
        case .locked:
            var response = Self.form(
                visit, pages, user: user, error: texts["login.throttled"], status: .tooManyRequests)
            response.headers[.retryAfter] = "60"
            return response
        }
    }

    /// Ends the session (with this session's CSRF field) and forgets the cookie.
    static func signOut(_ pages: WebPages, _ request: Request, _ context: APIRequestContext) async -> Response {
        let visit = WebVisit.anonymous(request, context, settings: pages.settings)
        guard let token = WebSession.token(of: request) else { return visit.redirect("/login") }
        guard let form = try? await visit.form(), WebCSRF.accepts(form[WebCSRF.fieldName], forSession: token) else {
            return visit.page(
                WebLayout.message(visit, title: visit.texts["error.csrf.title"], text: visit.texts["error.csrf"]),
                status: .forbidden)
        }
        // An already ended session is signed out all the same.
        try? await pages.services.signIn.closeSession(token: token, source: context.source)
        var response = visit.redirect("/login")
        response.setCookie(WebSession.cleared(WebSession.cookieName, secure: pages.settings.secure))
        return response
    }
}
