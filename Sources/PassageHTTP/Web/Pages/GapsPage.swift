import Foundation
import Hummingbird
import PassageCore
import PassageServices

/// `GET /gaps` (policy staff and analysts): GAPS through GapsService — unmet needs by area and
/// need, overdue referrals by priority and provider, coverage gaps, outcomes — as a bar chart
/// and a table, with the release and the protections applied. Filters are a GET form
/// (kind, category, area, days). Every count is the service's published one: a suppressed cell
/// is shown as "suppressed", never as a bar.
enum GapsPage {
    /// Rows shown in the table and the chart (the page stays small; outcomes can have thousands).
    static let tableRows = 250
    static let chartRows = 25

    /// The breakdown each kind is shown by (coverage and outcomes lead with their own).
    static func dimensions(_ kind: GapKind) -> [GapDimension] {
        switch kind {
        case .unmet: [.area, .need]
        case .overdue: [.priority, .provider]
        case .coverage, .outcomes: []
        }
    }

    /// The count the chart draws for each kind.
    static func measure(_ kind: GapKind) -> String {
        switch kind {
        case .unmet: "unmet"
        case .overdue: "overdue"
        case .coverage: "open_needs"
        case .outcomes: "count"
        }
    }

    static func question(_ query: WebForm) throws -> GapQuestion {
        let kindText = query["kind"] ?? GapKind.unmet.rawValue
        guard let kind = GapKind(rawValue: kindText) else {
            throw WebRefusal.badInput(
                "kind: must be one of " + GapKind.allCases.map(\.rawValue).joined(separator: ", "), back: "/gaps")
        }
        var category: MovementCategory?
        if let text = query.text("category") {
            guard let value = MovementCategory(rawValue: text) else {
                throw WebRefusal.badInput(
                    "category: must be one of " + MovementCategory.allCases.map(\.rawValue).joined(separator: ", "),
                    back: "/gaps")
            }
            category = value
        }
        let area = query.text("area")?.uppercased()
        if let area, area.count > 16 || !area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            throw WebRefusal.badInput("area: a country (CO) or an ISO 3166-2 area (CO-ANT)", back: "/gaps")
        }
        var days = 7
        if let text = query.text("days") {
            guard let value = Int(text), (1...3650).contains(value) else {
                throw WebRefusal.badInput("days: a whole number from 1 to 3650", back: "/gaps")
            }
            days = value
        }
        return GapQuestion(kind: kind, dimensions: dimensions(kind), area: area, category: category, days: days)
    }

    static func show(_ visit: WebVisit, _ services: ApplicationServices) async throws -> Response {
        guard let actor = visit.actor else { return visit.redirect("/login") }
        let texts = visit.texts
        let question = try question(visit.query)
        let answer = try await services.gaps.gaps(question, by: actor)
        let published = answer.published
        let kindName = texts["gaps.kind.\(question.kind.rawValue)"]

        var main = "<h1>\(HTML.escape(texts["gaps.title"]))</h1>\n"
        main += filters(question, texts)
        main +=
            "<h2 id=\"release-heading\">\(HTML.escape(texts["gaps.release"]))</h2>\n<dl class=\"facts\" id=\"release\">"
        main += CasePage.item(texts["gaps.release.day"], answer.release.dayText)
        main += CasePage.item(
            texts["gaps.release.period"],
            texts.optional("period.\(answer.release.period.rawValue)", fallback: answer.release.period.rawValue))
        main += "<dt>\(HTML.escape(texts["gaps.release.as_of"]))</dt><dd>\(HTML.timeElement(answer.release.asOf))</dd>"
        let scope =
            switch answer.scope {
            case .everyOrganisation: texts["gaps.scope.all"]
            case .organisation(let name): texts.format("gaps.scope.organisation", ["organisation": name])
            }
        main += CasePage.item(texts["gaps.scope"], scope)
        main += CasePage.item(texts["gaps.k"], String(published.k))
        main +=
            "</dl>\n<h3 id=\"protections-heading\">\(HTML.escape(texts["gaps.protections"]))</h3>\n<ul id=\"protections\">"
        for protection in published.protections {
            main += "<li><code>\(HTML.escape(protection.summary))</code></li>"
        }
        main += "</ul>\n"
        main += ReplicaNote.html(answer.readSource, texts)

        let columns = published.columns
        let measureIndex = columns.firstIndex { $0.name == measure(question.kind) }
        let labelIndexes = columns.indices.filter { columns[$0].content == .dimension || columns[$0].content == .label }
        main += "<h2 id=\"chart-heading\">\(HTML.escape(kindName))</h2>\n"
        if published.rows.isEmpty {
            main += "<p id=\"gaps-empty\">\(HTML.escape(texts["gaps.empty"]))</p>\n"
        } else {
            if let measureIndex {
                let bars = published.rows.prefix(chartRows).map { row in
                    BarChart.Bar(
                        label: labelIndexes.map { value(row[$0], column: columns[$0].name, texts) }.joined(
                            separator: " · "),
                        value: row[measureIndex].count)
                }
                let title = texts.format(
                    "gaps.chart.title",
                    ["measure": columnName(columns[measureIndex].name, texts), "kind": kindName])
                main += BarChart(id: "gaps-chart", title: title, bars: Array(bars)).svg(texts)
                main += BarChart.legend(id: "legend", k: published.k, texts)
                if published.rows.count > chartRows {
                    main +=
                        "<p>\(HTML.escape(texts.format("gaps.chart.first", ["shown": String(chartRows), "rows": String(published.rows.count)])))</p>\n"
                }
            }
            main += table(published, texts)
        }
        return visit.page(WebLayout.document(visit, title: texts["gaps.title"], current: "/gaps", main: main))
    }

    static func filters(_ question: GapQuestion, _ texts: WebTexts) -> String {
        var html = "<form id=\"gaps-filter\" class=\"filters\" method=\"get\" action=\"/gaps\">"
        html +=
            "<p><label for=\"kind\">\(HTML.escape(texts["gaps.filter.kind"]))</label><select id=\"kind\" name=\"kind\">"
        for kind in GapKind.allCases {
            html +=
                "<option value=\"\(kind.rawValue)\"\(kind == question.kind ? " selected" : "")>\(HTML.escape(texts["gaps.kind.\(kind.rawValue)"]))</option>"
        }
        html += "</select></p>"
        html +=
            "<p><label for=\"category\">\(HTML.escape(texts["gaps.filter.category"]))</label><select id=\"category\" name=\"category\">"
        html += "<option value=\"\">\(HTML.escape(texts["filter.any"]))</option>"
        for category in MovementCategory.allCases {
            html +=
                "<option value=\"\(category.rawValue)\"\(category == question.category ? " selected" : "")>\(HTML.escape(CasePage.category(category.rawValue, texts)))</option>"
        }
        html += "</select></p>"
        html +=
            "<p><label for=\"area\">\(HTML.escape(texts["gaps.filter.area"]))</label><input id=\"area\" name=\"area\" type=\"text\" maxlength=\"16\" size=\"8\" value=\"\(HTML.escape(question.area ?? ""))\"></p>"
        html +=
            "<p><label for=\"days\">\(HTML.escape(texts["gaps.filter.days"]))</label><input id=\"days\" name=\"days\" type=\"number\" min=\"1\" max=\"3650\" value=\"\(question.days)\"></p>"
        html +=
            "<p><button id=\"gaps-apply\" type=\"submit\">\(HTML.escape(texts["filter.apply"]))</button></p></form>\n"
        return html
    }

    /// The table: every column named from the catalogue; a suppressed count says so, a withheld
    /// share or time says so, a registry figure the providers did not state says so.
    static func table(_ published: PublishedGaps, _ texts: WebTexts) -> String {
        let columns = published.columns
        var html = "<table id=\"gaps\" aria-labelledby=\"chart-heading\"><thead><tr>"
        for column in columns { html += "<th scope=\"col\">\(HTML.escape(columnName(column.name, texts)))</th>" }
        html += "</tr></thead><tbody>\n"
        for row in published.rows.prefix(tableRows) {
            html += "<tr>"
            for (column, cell) in zip(columns, row) {
                switch (column.content, cell) {
                case (.count, .count(nil)):
                    html +=
                        "<td class=\"suppressed\" data-suppressed=\"true\">\(HTML.escape(texts["chart.suppressed"]))</td>"
                case (.registry, .count(nil)):
                    html += "<td>\(HTML.escape(texts["gaps.not_stated"]))</td>"
                case (_, .count(let value?)):
                    html += "<td class=\"number\">\(value)</td>"
                case (_, .figure(nil)):
                    html += "<td class=\"suppressed\">\(HTML.escape(texts["gaps.withheld"]))</td>"
                case (.share, .figure(let value?)):
                    html += "<td class=\"number\">\(String(format: "%.1f", value * 100)) %</td>"
                case (_, .figure(let value?)):
                    html += "<td class=\"number\">\(String(format: "%.0f", value))</td>"
                case (_, .text(let text)):
                    html += "<td>\(HTML.escape(value(.text(text), column: column.name, texts)))</td>"
                default:
                    html += "<td></td>"
                }
            }
            html += "</tr>\n"
        }
        html += "</tbody></table>\n"
        if published.rows.count > tableRows {
            html +=
                "<p id=\"gaps-truncated\" class=\"notice\">\(HTML.escape(texts.format("gaps.table.first", ["shown": String(tableRows), "rows": String(published.rows.count)])))</p>\n"
        }
        return html
    }

    static func columnName(_ name: String, _ texts: WebTexts) -> String {
        texts.optional("column.\(name)", fallback: name)
    }

    /// A dimension value or label, translated where the catalogue knows it (a category, a
    /// priority, an outcome measure), else as the code it is.
    static func value(_ cell: GapCell, column: String, _ texts: WebTexts) -> String {
        guard let text = cell.text else { return cell.count.map(String.init) ?? "" }
        switch column {
        case "category": return CasePage.category(text, texts)
        case "priority": return texts.optional("priority.\(text)", fallback: text)
        case "measure", "gap", "referral_status": return texts.optional("value.\(text)", fallback: text)
        default: return text
        }
    }
}
