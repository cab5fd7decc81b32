import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET /providers/{id}` (casework and administrators): a provider of the directory and how to
/// reach it — its locations, phones (dialable links) and contacts (mail links) — as
/// ProviderService.details gives it. Linked from the provider names of the case and referral pages.
enum ProviderPage {
    static func show(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        guard let text = visit.context.parameters.get("provider"), let id = Int64(text), id > 0 else {
            throw WebRefusal.badInput("provider: must be a positive whole number", back: "/referrals")
        }
        let details = try await services.providers.details(of: id, by: actor)
        let texts = visit.texts
        let provider = details.provider
        let title = texts.format("provider.title", ["name": provider.name])
        var main = "<h1 id=\"provider-title\">\(HTML.escape(title))</h1>\n<dl class=\"facts\" id=\"provider-summary\">"
        main += CasePage.item(
            texts["provider.status"], texts.optional("provider.status.\(provider.status)", fallback: provider.status))
        main += CasePage.item(texts["provider.services"], provider.services.joined(separator: ", "))
        main += CasePage.item(texts["provider.areas"], provider.areas.joined(separator: ", "))
        main += CasePage.item(
            texts["provider.capacity"], provider.capacity.map(String.init) ?? texts["provider.capacity.none"])
        main += "</dl>\n"
        if details.locations.isEmpty && details.phones.isEmpty && details.contacts.isEmpty {
            main += "<p id=\"provider-reach-none\">\(HTML.escape(texts["provider.reach.none"]))</p>\n"
        }
        if !details.phones.isEmpty {
            main += "<h2 id=\"phones-heading\">\(HTML.escape(texts["provider.phones"]))</h2>\n<ul id=\"phones\">"
            for entry in details.phones {
                let phone = entry.item
                let rest = ContactPointText.phone(
                    ProviderPhone(
                        id: phone.id, number: "", extensionNumber: phone.extensionNumber, type: phone.type,
                        description: phone.description), atLocation: details.location(of: phone))
                main +=
                    "<li><a href=\"\(HTML.escape(dialable(phone)))\">\(HTML.escape(phone.number))</a>\(HTML.escape(rest))</li>"
            }
            main += "</ul>\n"
        }
        if !details.contacts.isEmpty {
            main += "<h2 id=\"contacts-heading\">\(HTML.escape(texts["provider.contacts"]))</h2>\n<ul id=\"contacts\">"
            for entry in details.contacts {
                let contact = entry.item
                let words = [contact.name, contact.title, contact.department].compactMap { $0 }.map(HTML.escape)
                let mail = contact.email.map { "<a href=\"mailto:\(HTML.escape($0))\">\(HTML.escape($0))</a>" }
                main += "<li>" + (words + [mail].compactMap { $0 }).joined(separator: ", ") + "</li>"
            }
            main += "</ul>\n"
        }
        if !details.locations.isEmpty {
            main +=
                "<h2 id=\"locations-heading\">\(HTML.escape(texts["provider.locations"]))</h2>\n<ul id=\"locations\">"
            for entry in details.locations {
                main += "<li id=\"location-\(entry.number)\">\(HTML.escape(ContactPointText.location(entry.item)))</li>"
            }
            main += "</ul>\n"
        }
        return visit.page(WebLayout.document(visit, title: title, current: "/referrals", main: main))
    }

    /// A `tel:` link of the number's digits (and a leading +), with the extension after `;ext=` (RFC 3966).
    static func dialable(_ phone: ProviderPhone) -> String {
        let number = phone.number.filter { $0.isASCII && $0.isNumber }
        let plus = phone.number.hasPrefix("+") ? "+" : ""
        return "tel:" + plus + number + (phone.extensionNumber.map { ";ext=\($0)" } ?? "")
    }
}
