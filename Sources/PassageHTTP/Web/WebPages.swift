import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PassageCore
import PassageServices

/// The web pages (issue 20, Docs/http-api.md "Web pages"): server-rendered HTML on the API's
/// router, calling the application services directly — the same use cases, role checks,
/// organisation scope and audit as the console and the JSON API.
public struct WebPages: Sendable {
    let services: ApplicationServices
    let settings: HTTPSettings

    public init(services: ApplicationServices, settings: HTTPSettings) {
        self.services = services
        self.settings = settings
    }

    public func register(on router: Router<APIRequestContext>) {
        StaticAssets.register(on: router)
        let pages = self
        router.get("/login") { request, context in await LoginPage.show(pages, request, context) }
        router.post("/login") { request, context in await LoginPage.submit(pages, request, context) }
        router.post("/logout") { request, context in await LoginPage.signOut(pages, request, context) }
        router.get("/") { request, context in
            await pages.signedIn(request, context, nil) { visit in StartPage.show(visit) }
        }
        router.get("/referrals") { request, context in
            await pages.signedIn(request, context, .listReferrals) { visit in
                try await ReferralsPage.show(visit, pages.services)
            }
        }
        router.post("/referrals/:referral") { request, context in
            await pages.signedInForm(request, context, .moveReferral) { visit, form in
                try await ReferralsPage.move(visit, form, pages.services)
            }
        }
        router.get("/cases/:case") { request, context in
            await pages.signedIn(request, context, .showCase) { visit in try await CasePage.show(visit, pages.services)
            }
        }
        router.get("/cases/:case/person") { request, context in
            await pages.signedIn(request, context, .recordPerson) { visit in try PersonPage.form(visit) }
        }
        router.post("/cases/:case/person") { request, context in
            await pages.signedInForm(request, context, .recordPerson) { visit, form in
                try await PersonPage.record(visit, form, pages.services)
            }
        }
        router.get("/providers/:provider") { request, context in
            await pages.signedIn(request, context, .showProvider) { visit in
                try await ProviderPage.show(visit, pages.services)
            }
        }
        router.get("/statistics") { request, context in
            await pages.signedIn(request, context, .statistics) { visit in
                try await StatisticsPage.show(visit, pages.services)
            }
        }
        router.get("/statistics/download") { request, context in
            await pages.signedIn(request, context, .statistics) { visit in
                try await StatisticsPage.download(visit, pages.services)
            }
        }
        router.get("/gaps") { request, context in
            await pages.signedIn(request, context, .gaps) { visit in try await GapsPage.show(visit, pages.services) }
        }
    }

    /// Renders a page for a signed-in visitor whose role may do `useCase` (nil: any role).
    /// Not signed in, or a session that has ended → the login page; a role that may not → 403
    /// with no data. The page's service calls run with the session's credentials, so each use
    /// case checks them in its own transaction (as PassageAPI.register does).
    func signedIn(
        _ request: Request, _ context: APIRequestContext, _ useCase: UseCase?,
        render: @escaping @Sendable (WebVisit) async throws -> Response
    ) async -> Response {
        let visit = WebVisit.anonymous(request, context, settings: settings)
        guard let token = WebSession.token(of: request) else { return visit.redirect("/login") }
        let actor: Actor
        do {
            actor = try await services.signIn.resume(token: token, source: context.source)
        } catch .sessionEnded {
            var response = visit.redirect("/login")
            response.setCookie(WebSession.cleared(WebSession.cookieName, secure: settings.secure))
            return response
        } catch {
            return failure(visit, error)
        }
        let signedIn = visit.signedIn(as: actor, token: token)
        RequestNote.current?.user = actor.name
        if let useCase, !useCase.allows(actor.role) { return forbidden(signedIn) }
        do {
            return try await SessionCredentials.$current.withValue(actor.credentials) { try await render(signedIn) }
        } catch let error as ServiceError {
            return failure(signedIn, error)
        } catch let refusal as WebRefusal {
            return signedIn.page(
                WebLayout.message(
                    signedIn, title: signedIn.texts[refusal.title], text: signedIn.texts[refusal.text],
                    detail: refusal.detail, back: refusal.back),
                status: refusal.status)
        } catch {
            context.logger.error("web page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return signedIn.page(
                WebLayout.message(
                    signedIn, title: signedIn.texts["error.internal.title"], text: signedIn.texts["error.internal"]),
                status: .internalServerError)
        }
    }

    /// A POSTed form of a signed-in visitor: as `signedIn`, and refused with 403 unless its
    /// `csrf` field is this session's (WebCSRF) — before anything else is read from it.
    func signedInForm(
        _ request: Request, _ context: APIRequestContext, _ useCase: UseCase?,
        render: @escaping @Sendable (WebVisit, WebForm) async throws -> Response
    ) async -> Response {
        await signedIn(request, context, useCase) { visit in
            let form = try await visit.form()
            guard let token = visit.token, WebCSRF.accepts(form[WebCSRF.fieldName], forSession: token) else {
                throw WebRefusal.csrf
            }
            return try await render(visit, form)
        }
    }

    func forbidden(_ visit: WebVisit) -> Response {
        visit.page(
            WebLayout.message(visit, title: visit.texts["error.forbidden.title"], text: visit.texts["error.forbidden"]),
            status: .forbidden)
    }

    /// A use case's refusal as a page, with the status the JSON API gives it (Problem: one mapping).
    func failure(_ visit: WebVisit, _ error: ServiceError) -> Response {
        let problem = Problem(error)
        let key: String
        switch problem.status {
        case .badRequest: key = "error.bad_request"
        case .unauthorized: return visit.redirect("/login")
        case .forbidden: key = "error.forbidden"
        case .notFound: key = "error.not_found"
        case .conflict, .preconditionFailed: key = "error.conflict"
        case .unprocessableContent: key = "error.consent"
        case .tooManyRequests: key = "error.busy"
        default: key = "error.unavailable"
        }
        return visit.page(
            WebLayout.message(
                visit, title: visit.texts[key + ".title"], text: visit.texts[key], detail: problem.detail,
                back: visit.request.method == .post ? "/referrals" : "/"),
            status: problem.status)
    }
}

/// A page's own refusal of a request (a wrong CSRF field, a form value out of range).
struct WebRefusal: Error {
    let status: HTTPResponse.Status
    /// Catalogue keys.
    let title: String
    let text: String
    var detail: String? = nil
    var back: String = "/"

    static let csrf = WebRefusal(status: .forbidden, title: "error.csrf.title", text: "error.csrf")

    static func badInput(_ detail: String, back: String) -> WebRefusal {
        WebRefusal(
            status: .badRequest, title: "error.bad_request.title", text: "error.bad_request", detail: detail,
            back: back)
    }
}
