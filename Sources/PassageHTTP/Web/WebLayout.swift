import PassageCore

/// The frame of every page: language and direction, a skip link, the navigation the role may
/// use, sign-out, the language switcher, then the page's own `<main>`. No inline script or
/// style: the stylesheet and script are /static/app.css and /static/app.js (the CSP allows
/// nothing else).
enum WebLayout {
    /// A nav entry: the page's path, its label key, and the use case that opens it.
    struct Entry {
        let path: String
        let label: String
        let useCase: UseCase
    }

    static let entries = [
        Entry(path: "/referrals", label: "nav.referrals", useCase: .listReferrals),
        Entry(path: "/statistics", label: "nav.statistics", useCase: .statistics),
        Entry(path: "/gaps", label: "nav.gaps", useCase: .gaps),
    ]

    /// The whole document. `current` is the nav path this page belongs to (marked aria-current).
    static func document(_ visit: WebVisit, title: String, current: String? = nil, main: String) -> String {
        let texts = visit.texts
        var html = """
            <!DOCTYPE html>
            <html lang="\(visit.language.rawValue)" dir="\(visit.language.direction)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) — \(HTML.escape(texts["app.name"]))</title>
            <link rel="stylesheet" href="/static/app.css">
            <script src="/static/app.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">\(HTML.escape(texts["layout.skip"]))</a>
            <header class="top">
            <p class="brand"><a href="/">\(HTML.escape(texts["app.name"]))</a></p>

            """
        if let actor = visit.actor {
            let allowed = entries.filter { visit.may($0.useCase) }
            if !allowed.isEmpty {
                html += "<nav id=\"nav\" aria-label=\"\(HTML.escape(texts["layout.nav"]))\"><ul>"
                for entry in allowed {
                    let marker = entry.path == current ? " aria-current=\"page\"" : ""
                    html +=
                        "<li><a id=\"nav-\(entry.path.dropFirst())\" href=\"\(entry.path)\"\(marker)>\(HTML.escape(texts[entry.label]))</a></li>"
                }
                html += "</ul></nav>\n"
            }
            html +=
                "<p class=\"who\" id=\"who\">"
                + HTML.escape(
                    texts.format(
                        "layout.signed_in_as",
                        [
                            "user": actor.name,
                            "role": texts.optional("role.\(actor.role.rawValue)", fallback: actor.role.rawValue),
                            "organisation": actor.organisation,
                        ])) + "</p>\n"
            html +=
                "<form id=\"logout\" method=\"post\" action=\"/logout\">\(visit.csrfField)<button type=\"submit\" name=\"logout\">\(HTML.escape(texts["layout.sign_out"]))</button></form>\n"
        }
        html += "<nav id=\"languages\" aria-label=\"\(HTML.escape(texts["layout.languages"]))\"><ul>"
        // The same page (and its filters) in another language; after a form, the start page.
        let here = visit.request.method == .get ? visit.request.uri.path : "/"
        let kept = visit.query.pairs.filter { $0.name != "lang" }.map { ($0.name, $0.value) }
        for language in WebLanguage.allCases {
            let marker = language == visit.language ? " aria-current=\"true\"" : ""
            let href = here + "?" + WebForm.encode(kept + [("lang", language.rawValue)])
            html +=
                "<li><a href=\"\(HTML.escape(href))\" lang=\"\(language.rawValue)\" hreflang=\"\(language.rawValue)\"\(marker)>\(HTML.escape(language.ownName))</a></li>"
        }
        html += "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n"
        html += main
        html += "\n</main>\n</body>\n</html>\n"
        return html
    }

    /// A page that only says something went wrong (403, 404, a refused change …), with a way on.
    static func message(
        _ visit: WebVisit, title: String, text: String, detail: String? = nil, back: String = "/"
    ) -> String {
        var main = "<h1 id=\"message-title\">\(HTML.escape(title))</h1>\n<p id=\"message\">\(HTML.escape(text))</p>\n"
        // A service's explanation is written in English; marked so a screen reader reads it so.
        if let detail { main += "<p id=\"message-detail\" lang=\"en\" dir=\"ltr\">\(HTML.escape(detail))</p>\n" }
        main +=
            "<p><a id=\"message-back\" href=\"\(HTML.escape(back))\">\(HTML.escape(visit.texts["message.back"]))</a></p>"
        return document(visit, title: title, main: main)
    }
}
