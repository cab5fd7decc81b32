import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET /referrals` (caseworkers and supervisors): the organisation's incoming and outgoing
/// referrals, overdue first then by due time, with the consent state; `POST /referrals/{id}`
/// accepts, declines, completes (receiving side) or cancels (referring side) one, through
/// ReferralService.move — the lifecycle, side and version checks and the audit entry are the
/// service's.
enum ReferralsPage {
    /// Rows read per list: each list is a bulk read on the user's budget, and the page must stay small.
    static let listLimit = 30

    /// What the filter can show: open ones (pending and accepted, overdue first) or one status.
    static let choices = ["open"] + ReferralStatus.allCases.map(\.rawValue)

    static func show(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        let texts = visit.texts
        let show = visit.query["show"] ?? "open"
        guard choices.contains(show) else {
            throw WebRefusal.badInput("show must be one of " + choices.joined(separator: ", "), back: "/referrals")
        }
        var lists: [[ReferralView]] = []
        if let status = ReferralStatus(rawValue: show) {
            lists.append(try await services.referrals.list(ReferralFilter(status: status, limit: listLimit), by: actor))
        } else {
            lists.append(
                try await services.referrals.list(ReferralFilter(overdueOnly: true, limit: listLimit), by: actor))
            lists.append(
                try await services.referrals.list(ReferralFilter(status: .pending, limit: listLimit), by: actor))
            lists.append(
                try await services.referrals.list(ReferralFilter(status: .accepted, limit: listLimit), by: actor))
        }
        var seen = Set<Int64>()
        let referrals = lists.joined().filter { seen.insert($0.id).inserted }.sorted { a, b in
            if a.overdue != b.overdue { return a.overdue }
            if a.dueAt != b.dueAt { return a.dueAt < b.dueAt }
            return a.id < b.id
        }
        let truncated = lists.contains { $0.count >= listLimit }

        var main = "<h1>\(HTML.escape(texts["referrals.title"]))</h1>\n"
        // Said only when the list confirms it: a crafted link cannot make the page claim a change.
        if let moved = visit.query["moved"].flatMap(Int64.init),
            let status = visit.query["status"].flatMap(ReferralStatus.init(rawValue:)),
            referrals.contains(where: { $0.id == moved && $0.state.status == status })
        {
            main +=
                "<p id=\"notice\" class=\"notice\" role=\"status\">"
                + HTML.escape(
                    texts.format(
                        "referrals.moved",
                        [
                            "id": String(moved),
                            "status": texts.optional("status.\(status.rawValue)", fallback: status.rawValue),
                        ]))
                + "</p>\n"
        }
        main += "<form id=\"referral-filter\" class=\"filters\" method=\"get\" action=\"/referrals\">"
        main +=
            "<p><label for=\"show\">\(HTML.escape(texts["referrals.show"]))</label><select id=\"show\" name=\"show\">"
        for choice in choices {
            let label =
                choice == "open" ? texts["referrals.show.open"] : texts.optional("status.\(choice)", fallback: choice)
            main += "<option value=\"\(choice)\"\(choice == show ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        main += "</select></p><p><button type=\"submit\">\(HTML.escape(texts["filter.apply"]))</button></p></form>\n"
        if truncated {
            main +=
                "<p id=\"truncated\" class=\"notice\">\(HTML.escape(texts.format("referrals.truncated", ["limit": String(listLimit)])))</p>\n"
        }
        let incoming = referrals.filter { $0.sides.contains(.receiving) }
        let outgoing = referrals.filter { $0.sides.contains(.referring) }
        main += "<h2 id=\"incoming-heading\">\(HTML.escape(texts["referrals.incoming"]))</h2>\n"
        main += incoming.isEmpty ? none(texts, "incoming") : table(incoming, direction: .receiving, visit)
        main += "<h2 id=\"outgoing-heading\">\(HTML.escape(texts["referrals.outgoing"]))</h2>\n"
        main += outgoing.isEmpty ? none(texts, "outgoing") : table(outgoing, direction: .referring, visit)
        return visit.page(WebLayout.document(visit, title: texts["referrals.title"], current: "/referrals", main: main))
    }

    static func none(_ texts: WebTexts, _ id: String) -> String {
        "<p id=\"\(id)-none\">\(HTML.escape(texts["referrals.none"]))</p>\n"
    }

    /// One side's table: `table#incoming` or `table#outgoing`, a row `tr#<table>-<id>` per referral.
    static func table(_ referrals: [ReferralView], direction: ReferralSide, _ visit: WebVisit) -> String {
        let texts = visit.texts
        let id = direction == .receiving ? "incoming" : "outgoing"
        let headers =
            direction == .receiving
            ? [
                "referrals.column.id", "referrals.column.need", "referrals.column.priority", "referrals.column.status",
                "referrals.column.due", "referrals.column.from", "referrals.column.person", "referrals.column.consent",
                "referrals.column.actions",
            ]
            : [
                "referrals.column.id", "referrals.column.case", "referrals.column.need", "referrals.column.provider",
                "referrals.column.priority", "referrals.column.status", "referrals.column.due",
                "referrals.column.consent", "referrals.column.actions",
            ]
        var html = "<table id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n<thead><tr>"
        for header in headers { html += "<th scope=\"col\">\(HTML.escape(texts[header]))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for referral in referrals {
            html +=
                "<tr id=\"\(id)-\(referral.id)\" data-referral=\"\(referral.id)\" data-status=\"\(referral.state.status.rawValue)\">"
            html += "<th scope=\"row\">\(referral.id)</th>"
            if direction == .referring {
                html +=
                    "<td>"
                    + (referral.caseID.map { "<a href=\"/cases/\($0)\">\($0)</a>" } ?? "") + "</td>"
            }
            html += "<td><code>\(HTML.escape(referral.needCode))</code></td>"
            if direction == .referring {
                html += "<td><a href=\"/providers/\(referral.providerID)\">\(HTML.escape(referral.providerName))</a></td>"
            }
            html +=
                "<td>\(HTML.escape(texts.optional("priority.\(referral.priority)", fallback: referral.priority)))</td>"
            html += "<td>\(HTML.escape(ReferralReasonCodes.stateText(referral.state, texts: texts)))</td>"
            html += "<td>\(HTML.timeElement(referral.dueAt))"
            if referral.overdue {
                html += " <strong class=\"overdue\">\(HTML.escape(texts["referrals.overdue"]))</strong>"
            }
            html += "</td>"
            if direction == .receiving {
                html += "<td>\(HTML.escape(referral.referringOrganisation))</td>"
                let person = [referral.ageBand, referral.sex, referral.language].compactMap { $0 }.joined(
                    separator: ", ")
                html += "<td>\(HTML.escape(person))</td>"
            }
            html += "<td>\(HTML.escape(consent(referral, texts)))</td>"
            html += "<td>\(actions(referral, direction: direction, visit))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    /// The consent state: given, a supervisor's override with its reason, or none recorded.
    static func consent(_ referral: ReferralView, _ texts: WebTexts) -> String {
        if let supervisor = referral.consentOverrideBy {
            return texts.format(
                "consent.overridden", ["supervisor": supervisor, "reason": referral.consentOverrideReason ?? ""])
        }
        var text = texts[referral.consent ? "consent.given" : "consent.none"]
        if let informed = referral.caregiverInformed {
            text += "; " + texts[informed ? "consent.caregiver_informed" : "consent.caregiver_not_informed"]
        }
        return text
    }

    /// The row's one form: what this side may do next. Each form posts the referral's version,
    /// so a change made meanwhile by someone else is refused rather than overwritten.
    static func actions(_ referral: ReferralView, direction: ReferralSide, _ visit: WebVisit) -> String {
        let texts = visit.texts
        let id = referral.id
        let prefix = direction == .receiving ? "incoming" : "outgoing"
        let status = referral.state.status
        var fields = ""
        switch (direction, status) {
        case (.receiving, .pending):
            fields =
                "<label class=\"sr-only\" for=\"\(prefix)-reason-\(id)\">\(HTML.escape(texts["referrals.reason"]))</label>"
                + "<select id=\"\(prefix)-reason-\(id)\" name=\"reason\">"
                + ReferralReasonCodes.options("declined", ReferralReasonCodes.declined, texts: texts, empty: true)
                + "</select>"
                + button("accept", texts) + button("decline", texts, secondary: true)
        case (.receiving, .accepted):
            fields =
                "<label class=\"sr-only\" for=\"\(prefix)-outcome-\(id)\">\(HTML.escape(texts["referrals.outcome"]))</label>"
                + "<select id=\"\(prefix)-outcome-\(id)\" name=\"outcome\">"
                + "<option value=\"successful\">\(HTML.escape(texts["outcome.successful"]))</option>"
                + "<option value=\"unsuccessful\">\(HTML.escape(texts["outcome.unsuccessful"]))</option></select>"
                + "<label class=\"sr-only\" for=\"\(prefix)-reason-\(id)\">\(HTML.escape(texts["referrals.reason"]))</label>"
                + "<select id=\"\(prefix)-reason-\(id)\" name=\"reason\">"
                + ReferralReasonCodes.options(
                    "unsuccessful", ReferralReasonCodes.unsuccessful, texts: texts, empty: true)
                + "</select>" + button("complete", texts)
        case (.referring, .pending), (.referring, .accepted):
            fields =
                "<label class=\"sr-only\" for=\"\(prefix)-reason-\(id)\">\(HTML.escape(texts["referrals.reason"]))</label>"
                + "<select id=\"\(prefix)-reason-\(id)\" name=\"reason\">"
                + ReferralReasonCodes.options("cancelled", ReferralReasonCodes.cancelled, texts: texts, empty: true)
                + "</select>" + button("cancel", texts, secondary: true)
        default:
            return ""
        }
        return
            "<form id=\"\(prefix)-form-\(id)\" class=\"inline\" method=\"post\" action=\"/referrals/\(id)\">"
            + visit.csrfField + HTML.hidden("version", String(referral.version)) + fields + "</form>"
    }

    static func button(_ action: String, _ texts: WebTexts, secondary: Bool = false) -> String {
        "<button type=\"submit\" name=\"action\" value=\"\(action)\"\(secondary ? " class=\"secondary\"" : "")>"
            + HTML.escape(texts["referrals.action.\(action)"]) + "</button>"
    }

    /// `POST /referrals/{id}`: `action` accept | decline | complete | cancel, `version`, and a
    /// `reason` (decline, cancel, unsuccessful completion) or `outcome` (complete).
    static func move(_ visit: WebVisit, _ form: WebForm, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        guard let text = visit.context.parameters.get("referral"), let id = Int64(text), id > 0 else {
            throw WebRefusal.badInput("referral: must be a positive whole number", back: "/referrals")
        }
        guard let version = form["version"].flatMap(Int.init), version > 0 else {
            throw WebRefusal.badInput("version: must be a positive whole number", back: "/referrals")
        }
        let reason = form.text("reason")
        if let reason, reason.utf8.count > 64 {
            throw WebRefusal.badInput("reason: at most 64 characters", back: "/referrals")
        }
        let change: ReferralChange
        switch form["action"] {
        case "accept":
            change = ReferralChange(referral: id, status: .accepted, expectedVersion: version)
        case "decline":
            change = ReferralChange(referral: id, status: .declined, reason: reason, expectedVersion: version)
        case "cancel":
            change = ReferralChange(referral: id, status: .cancelled, reason: reason, expectedVersion: version)
        case "complete":
            guard let outcome = form["outcome"], outcome == "successful" || outcome == "unsuccessful" else {
                throw WebRefusal.badInput("outcome: must be successful or unsuccessful", back: "/referrals")
            }
            // A successful completion takes no reason: a reason left chosen in the list is not one.
            change = ReferralChange(
                referral: id, status: .completed, outcome: outcome, reason: outcome == "successful" ? nil : reason,
                expectedVersion: version)
        default:
            throw WebRefusal.badInput("action: must be accept, decline, complete or cancel", back: "/referrals")
        }
        let moved = try await services.referrals.move(change, by: actor)
        // Back to the list that now holds it: the open ones, or those of its final status.
        let status = moved.state.status
        return visit.redirect(
            "/referrals?show=\(status.isOpen ? "open" : status.rawValue)&moved=\(moved.id)&status=\(status.rawValue)")
    }
}
