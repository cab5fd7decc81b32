import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET /cases/{id}` (caseworkers and supervisors): the case file as CaseService.file gives it —
/// an audited read in the organisation's scope — with the facts, the classification in force
/// and each category's legal basis, the review flags, the history, needs and referrals.
enum CasePage {
    static func show(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        guard let text = visit.context.parameters.get("case"), let id = Int64(text), id > 0 else {
            throw WebRefusal.badInput("case: must be a positive whole number", back: "/referrals")
        }
        let file = try await services.cases.file(of: id, by: actor)
        let texts = visit.texts
        let record = file.record
        let title = texts.format("case.title", ["ref": record.ref])
        var main = "<h1 id=\"case-title\">\(HTML.escape(title))</h1>\n"
        main += "<dl class=\"facts\" id=\"case-summary\">"
        main += item(texts["case.id"], String(record.id))
        main += item(texts["case.caseworker"], record.caseworker)
        main += item(texts["case.version"], String(record.version))
        main += "<dt>\(HTML.escape(texts["case.updated"]))</dt><dd>\(HTML.timeElement(record.updatedAt))</dd>"
        main += "</dl>\n"
        if visit.may(.recordPerson) {
            main +=
                "<p><a id=\"record-person\" href=\"/cases/\(record.id)/person\">\(HTML.escape(texts["case.record_person"]))</a></p>\n"
        }

        main += classification(record, texts)

        main += "<h2 id=\"facts-heading\">\(HTML.escape(texts["case.facts"]))</h2>\n<dl class=\"facts\" id=\"facts\">"
        let facts = (try? JSONSerialization.jsonObject(with: Data(record.facts.canonicalJSON.utf8))) as? [String: Any]
        for key in (facts ?? [:]).keys.sorted() where key != "ref" {
            main += "<dt><code>\(HTML.escape(key))</code></dt><dd>\(HTML.escape(display(facts?[key])))</dd>"
        }
        main += "</dl>\n"

        main += "<h2 id=\"history-heading\">\(HTML.escape(texts["case.history"]))</h2>\n"
        main += "<table id=\"history\" aria-labelledby=\"history-heading\"><thead><tr>"
        for key in [
            "case.history.version", "case.history.source", "case.history.category", "case.history.reason",
            "case.history.by", "case.history.at",
        ] {
            main += "<th scope=\"col\">\(HTML.escape(texts[key]))</th>"
        }
        main += "</tr></thead><tbody>"
        for entry in file.history {
            main += "<tr><td class=\"number\">\(entry.caseVersion)</td>"
            main += "<td>\(HTML.escape(texts["case.history.\(entry.source.rawValue)"]))</td>"
            main += "<td>\(HTML.escape(category(entry.primaryCategory, texts)))</td>"
            main += "<td>\(HTML.escape(entry.reason ?? ""))</td><td>\(HTML.escape(entry.decidedBy))</td>"
            main += "<td>\(HTML.timeElement(entry.decidedAt))</td></tr>"
        }
        main += "</tbody></table>\n"

        main += "<h2 id=\"needs-heading\">\(HTML.escape(texts["case.needs"]))</h2>\n"
        if file.needs.isEmpty {
            main += "<p id=\"needs-none\">\(HTML.escape(texts["case.needs.none"]))</p>\n"
        } else {
            main += "<table id=\"needs\" aria-labelledby=\"needs-heading\"><thead><tr>"
            for key in ["case.need.code", "case.need.meaning", "referrals.column.priority", "referrals.column.status"] {
                main += "<th scope=\"col\">\(HTML.escape(texts[key]))</th>"
            }
            main += "</tr></thead><tbody>"
            for need in file.needs {
                main += "<tr id=\"need-\(need.id)\"><td><code>\(HTML.escape(need.code))</code></td>"
                main += "<td lang=\"en\">\(HTML.escape(need.meaning))</td>"
                main += "<td>\(HTML.escape(texts.optional("priority.\(need.priority)", fallback: need.priority)))</td>"
                main +=
                    "<td>\(HTML.escape(texts.optional("need.status.\(need.status.rawValue)", fallback: need.status.rawValue)))</td></tr>"
            }
            main += "</tbody></table>\n"
        }

        main += "<h2 id=\"case-referrals-heading\">\(HTML.escape(texts["case.referrals"]))</h2>\n"
        if file.referrals.isEmpty {
            main += "<p id=\"case-referrals-none\">\(HTML.escape(texts["referrals.none"]))</p>\n"
        } else {
            main += "<table id=\"case-referrals\" aria-labelledby=\"case-referrals-heading\"><thead><tr>"
            for key in [
                "referrals.column.id", "referrals.column.need", "referrals.column.provider",
                "referrals.column.status", "referrals.column.due", "referrals.column.consent",
            ] {
                main += "<th scope=\"col\">\(HTML.escape(texts[key]))</th>"
            }
            main += "</tr></thead><tbody>"
            for referral in file.referrals {
                main +=
                    "<tr><th scope=\"row\">\(referral.id)</th><td><code>\(HTML.escape(referral.needCode))</code></td>"
                main += "<td><a href=\"/providers/\(referral.providerID)\">\(HTML.escape(referral.providerName))</a></td>"
                main += "<td>\(HTML.escape(ReferralReasonCodes.stateText(referral.state, texts: texts)))</td>"
                main += "<td>\(HTML.timeElement(referral.dueAt))"
                if referral.overdue {
                    main += " <strong class=\"overdue\">\(HTML.escape(texts["referrals.overdue"]))</strong>"
                }
                main += "</td><td>\(HTML.escape(ReferralsPage.consent(referral, texts)))</td></tr>"
            }
            main += "</tbody></table>\n"
        }
        return visit.page(WebLayout.document(visit, title: title, current: "/referrals", main: main))
    }

    /// The category in force, the rule's findings with their legal basis, and what needs review.
    static func classification(_ record: CaseRecord, _ texts: WebTexts) -> String {
        let result =
            (try? JSONSerialization.jsonObject(with: Data(record.classificationJSON.utf8))) as? [String: Any] ?? [:]
        var html = "<h2 id=\"classification-heading\">\(HTML.escape(texts["case.classification"]))</h2>\n"
        html += "<dl class=\"facts\" id=\"classification-summary\">"
        html += item(texts["case.category"], category(record.primaryCategory, texts))
        if record.overridden {
            html += item(texts["case.overridden"], texts["case.overridden.yes"])
        }
        html += item(texts["case.review"], texts[record.review ? "case.review.yes" : "case.review.no"])
        html += "</dl>\n"
        if record.overrideDiffersFromRule {
            html +=
                "<p id=\"override-differs\" class=\"notice\" role=\"note\">\(HTML.escape(texts["case.override_differs"]))</p>\n"
        }
        let categories = result["categories"] as? [String] ?? []
        let subcategories = result["subcategories"] as? [String: String] ?? [:]
        let basis = result["basis"] as? [String: [String]] ?? [:]
        html += "<table id=\"classification\" aria-labelledby=\"classification-heading\"><thead><tr>"
        for key in ["case.category", "case.subcategory", "case.basis"] {
            html += "<th scope=\"col\">\(HTML.escape(texts[key]))</th>"
        }
        html += "</tr></thead><tbody>"
        if categories.isEmpty {
            html += "<tr><td colspan=\"3\">\(HTML.escape(category(MovementCategory.unclassifiedID, texts)))</td></tr>"
        }
        for name in categories {
            html +=
                "<tr data-category=\"\(HTML.escape(name))\"><th scope=\"row\">\(HTML.escape(category(name, texts)))</th>"
            html += "<td><code>\(HTML.escape(subcategories[name] ?? ""))</code></td><td><ul class=\"basis\">"
            for code in basis[name] ?? [] {
                html +=
                    "<li data-basis=\"\(HTML.escape(code))\">\(HTML.escape(texts.optional("basis.\(code)", fallback: code))) (<code>\(HTML.escape(code))</code>)</li>"
            }
            html += "</ul></td></tr>"
        }
        html += "</tbody></table>\n"
        let notes = result["notes"] as? [String] ?? []
        let missing = result["missing"] as? [String] ?? []
        if !notes.isEmpty {
            html += "<h3 id=\"notes-heading\">\(HTML.escape(texts["case.notes"]))</h3><ul id=\"notes\">"
            for note in notes {
                let flag =
                    ClassificationNote(rawValue: note)?.setsReview == true ? " " + texts["case.notes.review"] : ""
                html +=
                    "<li data-note=\"\(HTML.escape(note))\"><code>\(HTML.escape(note))</code>\(HTML.escape(flag))</li>"
            }
            html += "</ul>\n"
        }
        if !missing.isEmpty {
            html += "<h3 id=\"missing-heading\">\(HTML.escape(texts["case.missing"]))</h3><ul id=\"missing\">"
            for fact in missing { html += "<li><code>\(HTML.escape(fact))</code></li>" }
            html += "</ul>\n"
        }
        return html
    }

    static func category(_ id: String, _ texts: WebTexts) -> String {
        texts.optional("category.\(id)", fallback: id)
    }

    static func item(_ term: String, _ value: String) -> String {
        "<dt>\(HTML.escape(term))</dt><dd>\(HTML.escape(value))</dd>"
    }

    /// A fact's value as text: strings as they are, the rest as compact JSON.
    static func display(_ value: Any?) -> String {
        switch value {
        case let text as String: return text
        case nil, is NSNull: return "—"
        case let value?:
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            {
                return String(decoding: data, as: UTF8.self)
            }
            return "\(value)"
        }
    }
}
