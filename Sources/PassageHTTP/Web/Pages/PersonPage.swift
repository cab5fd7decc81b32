import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET|POST /cases/{id}/person` (caseworkers and supervisors): the form that records who a case
/// is about (PersonService.recordChecking, as PERSON SET and `PATCH /v1/cases/{case}/person`),
/// and after it the duplicate check's warning: the other people of the organisation this one
/// strongly matches, by their cases and score (Docs/finding-persons.md §3). The form is empty:
/// showing what is recorded would be an audited read at every visit; fields left empty keep
/// their value.
enum PersonPage {
    static func form(_ visit: WebVisit) throws -> Response {
        let id = try caseID(visit)
        let texts = visit.texts
        let title = texts.format("person.title", ["case": String(id)])
        var main = "<h1 id=\"person-title\">\(HTML.escape(title))</h1>\n"
        main += "<p id=\"person-hint\">\(HTML.escape(texts["person.hint"]))</p>\n"
        main += "<form id=\"person-form\" method=\"post\" action=\"/cases/\(id)/person\">" + visit.csrfField
        main += field("name", texts["person.name"], type: "text", maxLength: 200, autocomplete: "name")
        main += field("dob", texts["person.dob"], type: "date", maxLength: 10, autocomplete: "bday")
        main += field("phone", texts["person.phone"], type: "tel", maxLength: 40, autocomplete: "tel")
        main += field("documents", texts["person.documents"], type: "text", maxLength: 1000, autocomplete: "off")
        main += "<p><button type=\"submit\">\(HTML.escape(texts["person.submit"]))</button></p></form>\n"
        main += "<p><a href=\"/cases/\(id)\">\(HTML.escape(texts["person.back"]))</a></p>\n"
        return visit.page(WebLayout.document(visit, title: title, current: "/referrals", main: main))
    }

    /// Records the fields given, then shows what the duplicate check found (nothing blocks:
    /// the details are recorded either way and the caseworker decides).
    static func record(_ visit: WebVisit, _ form: WebForm, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        let id = try caseID(visit)
        let back = "/cases/\(id)/person"
        let name = form.text("name")
        let phone = form.text("phone")
        if let name, name.count > 200 { throw WebRefusal.badInput("name: at most 200 characters", back: back) }
        if let phone, phone.count > 40 { throw WebRefusal.badInput("phone: at most 40 characters", back: back) }
        let documents = form.text("documents").map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let documents, documents.contains(where: { $0.count > 200 }) {
            throw WebRefusal.badInput("documents: each number at most 200 characters", back: back)
        }
        // The service checks the rest (a date that exists, no document twice, at least one field),
        // naming the field as the console and the API do.
        let change = PersonDetailsChange(
            name: name, dateOfBirth: form.text("dob"), phone: phone,
            documents: documents?.isEmpty == true ? nil : documents)
        let duplicates = try await services.people.recordChecking(change, forCase: id, by: actor)

        let texts = visit.texts
        let title = texts.format("person.title", ["case": String(id)])
        var main = "<h1 id=\"person-title\">\(HTML.escape(title))</h1>\n"
        main += "<p id=\"person-recorded\" role=\"status\">\(HTML.escape(texts["person.recorded"]))</p>\n"
        if !duplicates.isEmpty { main += warning(duplicates, texts) }
        main += "<p><a href=\"/cases/\(id)\">\(HTML.escape(texts["person.back"]))</a></p>\n"
        return visit.page(WebLayout.document(visit, title: title, current: "/referrals", main: main))
    }

    /// The console's `250-warning: may be the person of case N (ref R) (score S)` lines, each case
    /// a link to its page.
    static func warning(_ duplicates: [PersonMatch], _ texts: WebTexts) -> String {
        var html =
            "<section id=\"possible-duplicates\" class=\"notice\" role=\"alert\" aria-labelledby=\"duplicates-heading\">"
        html += "<h2 id=\"duplicates-heading\">\(HTML.escape(texts["person.duplicates"]))</h2>"
        html += "<p>\(HTML.escape(texts["person.duplicates.hint"]))</p><ul>"
        for match in duplicates {
            let cases = match.cases.map { reference in
                "<a href=\"/cases/\(reference.id)\" data-case=\"\(reference.id)\">\(reference.id) (\(HTML.escape(reference.ref)))</a>"
            }.joined(separator: ", ")
            let score = String(format: "%.1f", match.score)
            // The message is escaped before the links go in.
            let line = HTML.escape(texts["person.duplicate"]).replacingOccurrences(of: "{cases}", with: cases)
                .replacingOccurrences(of: "{score}", with: score)
            html += "<li>" + line + "</li>"
        }
        return html + "</ul></section>\n"
    }

    static func caseID(_ visit: WebVisit) throws -> Int64 {
        guard let text = visit.context.parameters.get("case"), let id = Int64(text), id > 0 else {
            throw WebRefusal.badInput("case: must be a positive whole number", back: "/referrals")
        }
        return id
    }

    static func field(_ name: String, _ label: String, type: String, maxLength: Int, autocomplete: String) -> String {
        "<p><label for=\"person-\(name)\">\(HTML.escape(label))</label> <input id=\"person-\(name)\" name=\"\(name)\" type=\"\(type)\" maxlength=\"\(maxLength)\" autocomplete=\"\(autocomplete)\"></p>"
    }
}
