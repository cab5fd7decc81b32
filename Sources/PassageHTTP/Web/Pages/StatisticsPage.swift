import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET /statistics` (analysts and policy staff): choose what to count and the dimensions,
/// preview the anonymised table (StatisticsService.aggregates: the release's published cells,
/// disclosure control always on), see the privacy budget and the release, and download the same
/// table as CSV, HXL or JSON from `GET /statistics/download?format=…` (the shared renderer,
/// StatisticsText, as STATS and `passage export` use; JSON as `GET /v1/statistics` answers it).
enum StatisticsPage {
    /// Preview rows on the page (a cross product can be large; the download has them all).
    static let previewRows = 300

    /// The request the form describes.
    static func request(_ query: WebForm) throws -> AggregateRequest {
        var request = AggregateRequest()
        if let of = query.text("of"), of != "auto" {
            guard CountedUnit(rawValue: of) != nil else {
                throw WebRefusal.badInput("of: must be auto, cases, needs or referrals", back: "/statistics")
            }
            request.of = of
        }
        for name in query.all("by") {
            guard StatisticsDimension(rawValue: name) != nil else {
                throw WebRefusal.badInput("by: unknown dimension \(name)", back: "/statistics")
            }
            if !request.by.contains(name) { request.by.append(name) }
        }
        if let text = query.text("k") {
            guard let k = Int(text), (5...1000).contains(k) else {
                throw WebRefusal.badInput("k: a whole number from 5 to 1000", back: "/statistics")
            }
            request.k = k
        }
        request.totals = query["totals"] == "1"
        for name in ["from", "to"] {
            if let text = query.text(name) {
                guard text.count <= 10, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
                    throw WebRefusal.badInput("\(name): YYYY-MM or YYYY-MM-DD", back: "/statistics")
                }
                if name == "from" { request.from = text } else { request.to = text }
            }
        }
        if let category = query.text("category") {
            guard MovementCategory(rawValue: category) != nil else {
                throw WebRefusal.badInput("category: unknown category \(category)", back: "/statistics")
            }
            request.filters = [.init(dimension: "category", value: category)]
        }
        return request
    }

    /// The form's choices as a query string (the download links repeat them).
    static func choices(_ query: WebForm) -> [(String, String)] {
        query.pairs.filter { ["of", "by", "k", "totals", "from", "to", "category"].contains($0.name) }.map {
            ($0.name, $0.value)
        }
    }

    static func show(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        let texts = visit.texts
        let request = try request(visit.query)
        // Policy staff count every organisation; anyone else their own (the service decides the same).
        let policy = try await services.statistics.privacyPolicy(
            of: actor.role == .policy ? nil : actor.organisation, by: actor)

        var main = "<h1>\(HTML.escape(texts["statistics.title"]))</h1>\n"
        main += form(request, visit.query, texts)
        main +=
            "<h2 id=\"budget-heading\">\(HTML.escape(texts["statistics.budget"]))</h2>\n<dl class=\"facts\" id=\"budget\">"
        if let epsilon = policy.epsilon, let budget = policy.budget {
            main += CasePage.item(texts["statistics.epsilon"], format(epsilon))
            main += CasePage.item(texts["statistics.budget.per_release"], format(budget))
        } else {
            main += CasePage.item(texts["statistics.policy"], texts["statistics.policy.none"])
        }
        main += "</dl>\n"

        if visit.query["run"] == "1" {
            let export = try await services.statistics.aggregates(request, by: actor)
            main += ReplicaNote.html(export.readSource, texts)
            main += preview(export, visit.query, texts)
        }
        return visit.page(
            WebLayout.document(visit, title: texts["statistics.title"], current: "/statistics", main: main))
    }

    static func format(_ value: Double) -> String { String(format: "%.3g", value) }

    static func form(_ request: AggregateRequest, _ query: WebForm, _ texts: WebTexts) -> String {
        var html = "<form id=\"statistics\" method=\"get\" action=\"/statistics\">"
        html +=
            "<div class=\"filters\"><p><label for=\"of\">\(HTML.escape(texts["statistics.of"]))</label><select id=\"of\" name=\"of\">"
        for unit in ["auto"] + CountedUnit.allCases.map(\.rawValue) {
            let selected = (request.of ?? "auto") == unit ? " selected" : ""
            html += "<option value=\"\(unit)\"\(selected)>\(HTML.escape(texts["statistics.of.\(unit)"]))</option>"
        }
        html += "</select></p>"
        html +=
            "<p><label for=\"stat-category\">\(HTML.escape(texts["gaps.filter.category"]))</label><select id=\"stat-category\" name=\"category\">"
        html += "<option value=\"\">\(HTML.escape(texts["filter.any"]))</option>"
        let chosenCategory = request.filters.first { $0.dimension == "category" }?.value
        for category in MovementCategory.allCases {
            html +=
                "<option value=\"\(category.rawValue)\"\(category.rawValue == chosenCategory ? " selected" : "")>\(HTML.escape(CasePage.category(category.rawValue, texts)))</option>"
        }
        html += "</select></p>"
        html +=
            "<p><label for=\"from\">\(HTML.escape(texts["statistics.from"]))</label><input id=\"from\" name=\"from\" type=\"text\" size=\"10\" maxlength=\"10\" placeholder=\"YYYY-MM\" value=\"\(HTML.escape(request.from ?? ""))\"></p>"
        html +=
            "<p><label for=\"to\">\(HTML.escape(texts["statistics.to"]))</label><input id=\"to\" name=\"to\" type=\"text\" size=\"10\" maxlength=\"10\" placeholder=\"YYYY-MM\" value=\"\(HTML.escape(request.to ?? ""))\"></p>"
        html +=
            "<p><label for=\"k\">\(HTML.escape(texts["statistics.k"]))</label><input id=\"k\" name=\"k\" type=\"number\" min=\"5\" max=\"1000\" value=\"\(request.k ?? 5)\"></p>"
        html +=
            "<p><input id=\"totals\" name=\"totals\" type=\"checkbox\" value=\"1\"\(request.totals ? " checked" : "")><label for=\"totals\">\(HTML.escape(texts["statistics.totals"]))</label></p></div>"
        html += "<fieldset id=\"dimensions\"><legend>\(HTML.escape(texts["statistics.dimensions"]))</legend>"
        for dimension in StatisticsDimension.allCases {
            let name = dimension.rawValue
            html +=
                "<span class=\"choice\"><input id=\"by-\(name)\" name=\"by\" type=\"checkbox\" value=\"\(name)\"\(request.by.contains(name) ? " checked" : "")><label for=\"by-\(name)\">\(HTML.escape(GapsPage.columnName(name, texts)))</label></span> "
        }
        html += "</fieldset>"
        html +=
            "<p><button id=\"preview\" type=\"submit\" name=\"run\" value=\"1\">\(HTML.escape(texts["statistics.preview"]))</button></p></form>\n"
        return html
    }

    static func preview(_ export: StatisticsExport, _ query: WebForm, _ texts: WebTexts) -> String {
        let table = export.table
        var html =
            "<h2 id=\"release-heading\">\(HTML.escape(texts["statistics.release"]))</h2>\n<dl class=\"facts\" id=\"release\">"
        html += CasePage.item(texts["statistics.release.cutoff"], export.release)
        html += CasePage.item(texts["statistics.window"], export.window)
        html += CasePage.item(texts["statistics.unit"], texts["statistics.of.\(export.unit.rawValue)"])
        html += CasePage.item(texts["statistics.epsilon_spent"], format(export.epsilonSpent))
        if let left = export.budgetLeft { html += CasePage.item(texts["statistics.budget_left"], format(left)) }
        html +=
            "</dl>\n<h3 id=\"protections-heading\">\(HTML.escape(texts["gaps.protections"]))</h3>\n<ul id=\"protections\">"
        for protection in table.protections { html += "<li><code>\(HTML.escape(protection.summary))</code></li>" }
        html += "</ul>\n"

        let links = choices(query)
        html += "<p class=\"downloads\" id=\"downloads\">"
        for format in ["csv", "hxl", "json"] {
            let href = "/statistics/download?" + WebForm.encode(links + [("format", format)])
            html +=
                "<a id=\"download-\(format)\" href=\"\(HTML.escape(href))\" download>\(HTML.escape(texts["statistics.download.\(format)"]))</a>"
        }
        html += "</p>\n"

        html += "<h2 id=\"preview-heading\">\(HTML.escape(texts["statistics.table"]))</h2>\n"
        html += "<table id=\"preview-table\" aria-labelledby=\"preview-heading\"><thead><tr>"
        for dimension in table.dimensions {
            html += "<th scope=\"col\">\(HTML.escape(GapsPage.columnName(dimension, texts)))</th>"
        }
        html += "<th scope=\"col\">\(HTML.escape(texts["column.count"]))</th></tr></thead><tbody>\n"
        for cell in table.cells.prefix(previewRows) {
            html += "<tr>"
            for (dimension, value) in zip(table.dimensions, cell.values) {
                let shown =
                    value == PublishedTable.total
                    ? texts["statistics.total"]
                    : GapsPage.value(.text(value), column: dimension, texts)
                html += "<td>\(HTML.escape(shown))</td>"
            }
            if let count = cell.value {
                html += "<td class=\"number\">\(count)</td>"
            } else {
                html +=
                    "<td class=\"suppressed\" data-suppressed=\"true\">\(HTML.escape(texts["chart.suppressed"]))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table>\n"
        html += BarChart.legend(id: "legend", k: Int(kValue(table)) ?? 5, texts)
        if table.cells.count > previewRows {
            html +=
                "<p id=\"preview-truncated\" class=\"notice\">\(HTML.escape(texts.format("gaps.table.first", ["shown": String(previewRows), "rows": String(table.cells.count)])))</p>\n"
        }
        return html
    }

    /// k as the protections state it (the `suppression` protection's `k=`).
    static func kValue(_ table: PublishedTable) -> String {
        table.protections.flatMap(\.parameters).first { $0.name == "k" }?.value ?? "5"
    }

    /// `GET /statistics/download?format=csv|hxl|json&…`: the same table as a file to save.
    static func download(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        let format = visit.query["format"] ?? "csv"
        guard ["csv", "hxl", "json"].contains(format) else {
            throw WebRefusal.badInput("format: must be csv, hxl or json", back: "/statistics")
        }
        let export = try await services.statistics.aggregates(try request(visit.query), by: actor)
        let name = "passage-statistics-\(export.unit.rawValue)-\(export.release)"
        switch format {
        case "json":
            // The JSON API's own body for the table (StatisticsResource), not a second JSON form.
            let data = try JSONResponse.encoder.encode(StatisticsResource(export: export))
            return visit.download(
                String(decoding: data, as: UTF8.self), contentType: "application/json", filename: name + ".json")
        default:
            // The API's CSV / HXL answer: the shared text, media type and protection headers.
            let form: TableFormat = format == "hxl" ? .hxl : .csv
            return ProtectionHeaders.answer(
                StatisticsText.csvLines(export, hxl: form == .hxl, pcodes: services.placeCodes), format: form,
                filename: name + (form == .hxl ? ".hxl.csv" : ".csv"), protections: export.table.protections,
                extra: [
                    (ProtectionHeaders.release, export.release), (ProtectionHeaders.window, export.window),
                    (ProtectionHeaders.counted, export.unit.rawValue),
                ])
        }
    }
}
