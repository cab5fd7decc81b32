import Hummingbird
import PassageCore

/// `GET /`: each role to its page — casework to its referrals, analysts to statistics, policy
/// staff to the protection gaps. Administrators work in the console: they are told so.
enum StartPage {
    static func show(_ visit: WebVisit) -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        switch actor.role {
        case .caseworker, .supervisor: return visit.redirect("/referrals")
        case .analyst: return visit.redirect("/statistics")
        case .policy: return visit.redirect("/gaps")
        case .admin:
            let texts = visit.texts
            let main = """
                <h1>\(HTML.escape(texts["start.title"]))</h1>
                <p id="start-admin">\(HTML.escape(texts["start.admin"]))</p>
                """
            return visit.page(WebLayout.document(visit, title: texts["start.title"], main: main))
        }
    }
}
