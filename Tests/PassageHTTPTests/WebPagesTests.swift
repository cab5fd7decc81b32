import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

@testable import PassageHTTP

/// A GAPS service that answers one fixed table: a shown row and a row whose counts are all
/// suppressed, so the page's rendering of both can be checked.
struct FixedGaps: GapsService {
    static let release = GapRelease(
        day: Date(timeIntervalSince1970: 1_795_996_800), period: .month,
        asOf: Date(timeIntervalSince1970: 1_795_996_800))

    func gaps(_ question: GapQuestion, by actor: Actor) async throws(ServiceError) -> GapsAnswer {
        try actor.require(.gaps)
        let columns = GapColumn.columns(of: .unmet, dimensions: ["area", "need"])
        let rows: [[GapCell]] = [
            [.text("CO-ANT"), .text("LP-ND"), .count(40), .count(25), .count(nil), .count(15), .figure(0.375)],
            [.text("CO-DC"), .text("SM"), .count(nil), .count(nil), .count(nil), .count(nil), .figure(nil)],
        ]
        return GapsAnswer(
            question: question, scope: .everyOrganisation, release: Self.release,
            published: PublishedGaps(
                columns: columns, rows: rows,
                protections: [AppliedProtection(name: "cell_key_perturbation", parameters: [.init("D", "3")])], k: 5))
    }
}

@Suite struct WebPagesTests {
    @Test func suppressedGapCellsAreMarkedAndNeverDrawnAsBars() async throws {
        try await WebFixture.with(services: { $0.gaps = FixedGaps() }) { _, client in
            var policy = try await WebBrowser.signedIn(client, "policy")
            let page = try await policy.go(client, "/gaps?kind=unmet&days=7")
            #expect(page.status == .ok)
            let html = page.text
            // The table says "suppressed" where a count is hidden, with a legend explaining it.
            #expect(html.components(separatedBy: "data-suppressed=\"true\">suppressed</td>").count - 1 == 5)
            #expect(html.contains("<ul class=\"legend\" id=\"legend\">"))
            #expect(html.contains("not shown, not zero"))
            // The chart: one bar (the shown row), the suppressed row a mark and no bar at all.
            let svg = try #require(html.firstMatch(of: #/<svg id="gaps-chart".*?</svg>/#)).output
            #expect(svg.components(separatedBy: "<rect").count - 1 == 1)
            #expect(svg.contains("<g class=\"row\" data-suppressed=\"true\">"))
            #expect(svg.contains("class=\"suppressed-mark\""))
            #expect(!svg.contains("width=\"0\""))
            // The release and the protections are stated.
            #expect(html.contains("cell_key_perturbation D=3"))
            #expect(html.contains("id=\"release\""))
        }
    }

    @Test func statisticsPreviewAndDownloadsInCSVHXLAndJSON() async throws {
        try await WebFixture.with { fixture, client in
            _ = try await WebFixture.referrals(2, fixture: fixture)
            var analyst = try await WebBrowser.signedIn(client, "analyst")
            let page = try await analyst.go(client, "/statistics?of=cases&by=sex&by=age_band&k=5&run=1")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("<table id=\"preview-table\""))
            #expect(page.text.contains("id=\"by-sex\" name=\"by\" type=\"checkbox\" value=\"sex\" checked"))
            #expect(page.text.contains("id=\"budget\""))
            #expect(page.text.contains("id=\"download-hxl\""))
            // Two cases is below k: every cell of the preview is suppressed, none shown as 0.
            #expect(page.text.contains("data-suppressed=\"true\""))
            #expect(!page.text.contains("<td class=\"number\">0</td>"))

            let csv = try await analyst.go(client, "/statistics/download?of=cases&by=sex&format=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv; charset=utf-8") == true)
            #expect(csv.headers[HTTPField.Name("Passage-Protections")!]?.isEmpty == false)
            #expect(csv.headers[.contentDisposition]?.hasSuffix(".csv\"") == true)
            #expect(csv.text.hasPrefix("sex,count,suppressed\r\n"))
            let hxl = try await analyst.go(client, "/statistics/download?of=cases&by=sex&format=hxl")
            let lines = hxl.text.split(separator: "\r\n")
            #expect(lines.count >= 3)
            #expect(lines[1].hasPrefix("#"))
            let json = try await analyst.go(client, "/statistics/download?of=cases&by=sex&format=json")
            let object = try #require(json.json)
            #expect(object["release"] is String)
            #expect((object["cells"] as? [[String: Any]])?.first?["suppressed"] as? Bool == true)
            // A wrong dimension is a 400 page naming it.
            let wrong = try await analyst.go(client, "/statistics?by=shoe_size&run=1")
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("shoe_size"))
        }
    }

    @Test func arabicIsRightToLeftAndTheChoiceIsRemembered() async throws {
        try await WebFixture.with { _, client in
            var browser = WebBrowser()
            let arabic = try await browser.go(client, "/login?lang=ar")
            #expect(arabic.text.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(arabic.headers[.contentLanguage] == "ar")
            #expect(browser.cookies["passage_lang"] == "ar")
            let again = try await browser.go(client, "/login")
            #expect(again.text.contains("<html lang=\"ar\" dir=\"rtl\">"))
            var french = WebBrowser()
            let page = try await french.go(client, "/login", headers: [.acceptLanguage: "de-CH, fr;q=0.8, en;q=0.5"])
            #expect(page.text.contains("<html lang=\"fr\" dir=\"ltr\">"))
            #expect(page.text.contains("Mot de passe"))
            // The switcher keeps the page and its filters.
            var policy = try await WebBrowser.signedIn(client, "policy")
            let gaps = try await policy.go(client, "/gaps?kind=overdue&days=9")
            #expect(gaps.text.contains("href=\"/gaps?kind=overdue&amp;days=9&amp;lang=ar\""))
            var english = WebBrowser()
            #expect(try await english.go(client, "/login").text.contains("<html lang=\"en\" dir=\"ltr\">"))
        }
    }

    /// Every page, in every language: under 150 KB, no inline script or style, a skip link,
    /// every label from the catalogue, and every input labelled.
    @Test func everyPageIsSmallHasNoInlineScriptOrStyleAndNoMissingString() async throws {
        try await WebFixture.with(services: { $0.gaps = FixedGaps() }) { fixture, client in
            let made = try await WebFixture.referrals(40, fixture: fixture)
            let visits: [(String, [String])] = [
                ("cleo", ["/referrals"]),
                ("caseworker", ["/referrals", "/referrals?show=pending", "/cases/\(made.caseID)", "/gaps"]),
                ("analyst", ["/statistics", "/statistics?by=sex&by=age_band&by=category&totals=1&run=1"]),
                ("policy", ["/gaps", "/gaps?kind=overdue", "/gaps?kind=coverage", "/gaps?kind=outcomes"]),
                ("admin", ["/"]),
            ]
            for language in WebLanguage.allCases {
                var pages: [(String, TestResponse)] = []
                var stranger = WebBrowser()
                pages.append(("/login", try await stranger.go(client, "/login?lang=\(language.rawValue)")))
                for (name, paths) in visits {
                    var browser = try await WebBrowser.signedIn(client, name)
                    _ = try await browser.go(client, "/login?lang=\(language.rawValue)")
                    for path in paths { pages.append(("\(name) \(path)", try await browser.go(client, path))) }
                }
                for (label, page) in pages {
                    let html = page.text
                    #expect(page.headers[.contentType] == "text/html; charset=utf-8", "\(label)")
                    #expect(page.body.readableBytes < 150_000, "\(label): \(page.body.readableBytes) bytes")
                    #expect(!html.contains("style="), "\(label)")
                    #expect(html.firstMatch(of: #/<script(?![^>]*\bsrc=)[^>]*>/#) == nil, "\(label)")
                    #expect(html.firstMatch(of: #/<script[^>]*>[^<]+</script>/#) == nil, "\(label)")
                    #expect(html.firstMatch(of: #/\son[a-z]+=/#) == nil, "\(label): an event handler attribute")
                    #expect(!html.contains("??"), "\(label): a key missing from the catalogue")
                    #expect(html.contains("<html lang=\"\(language.rawValue)\" dir=\"\(language.direction)\">"))
                    #expect(html.contains("<a class=\"skip\" href=\"#main\">"), "\(label)")
                    // Every visible input, select has a label for its id.
                    for match in html.matches(of: #/<(input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/#) {
                        #expect(html.contains("for=\"\(match.output.2)\""), "\(label): \(match.output.2) has no label")
                    }
                    #expect(html.matches(of: #/<(input|select)(?![^>]*type="hidden")(?![^>]*\bid=)[^>]*>/#).isEmpty)
                }
            }
            // The static files are served, and from the binary.
            var browser = WebBrowser()
            let css = try await browser.go(client, "/static/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let script = try await browser.go(client, "/static/app.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        }
    }

    @Test func theCataloguesHaveTheSameKeysAndPlaceholders() {
        let reference = WebLanguage.en.catalogue
        for language in WebLanguage.allCases {
            let catalogue = language.catalogue
            let missing = Set(reference.keys).subtracting(catalogue.keys).sorted()
            let extra = Set(catalogue.keys).subtracting(reference.keys).sorted()
            #expect(missing.isEmpty, "\(language.rawValue) lacks \(missing)")
            #expect(extra.isEmpty, "\(language.rawValue) has keys English lacks: \(extra)")
            for (key, text) in catalogue {
                #expect(!text.isEmpty, "\(language.rawValue) \(key) is empty")
                let placeholders = { (text: String) in Set(text.matches(of: #/\{[a-z]+\}/#).map { String($0.output) }) }
                #expect(placeholders(text) == placeholders(reference[key] ?? ""), "\(language.rawValue) \(key)")
            }
        }
    }

    @Test func theLanguageFollowsAcceptLanguageByQuality() {
        #expect(WebLanguage.preferred(acceptLanguage: "ar-SY,ar;q=0.9,en;q=0.8") == .ar)
        #expect(WebLanguage.preferred(acceptLanguage: "en;q=0.5, fr;q=0.9") == .fr)
        #expect(WebLanguage.preferred(acceptLanguage: "de, es") == nil)
        #expect(WebLanguage.preferred(acceptLanguage: "fr;q=0, en") == .en)
    }
}
