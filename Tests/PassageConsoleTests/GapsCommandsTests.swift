import Foundation
import PassageCore
import PassageServices
import Testing

@testable import PassageConsole

/// `GAPS` hands the service a typed question, and renders its answer once per kept answer.
@Suite struct GapsCommandsTests {
    @Test("the line becomes a typed question: kind, dimensions in order, area, category, days (7 by default)")
    func typedQuestion() async {
        let gaps = FakeGapsService()
        var services = FakeServices.echoing()
        services.gaps = gaps
        let analyst = await ConsoleHarness(services: services).signedIn(as: "ana", password: "ana")
        #expect(await analyst.send("GAPS unmet by=freedom,sex area=CO category=idp days=3")?.code == 250)
        #expect(await analyst.send("GAPS coverage")?.code == 250)
        #expect(await analyst.send("GAPS unmet by=shoe_size")?.code == 501)
        #expect(
            gaps.asked == [
                GapQuestion(kind: .unmet, dimensions: [.freedom, .sex], area: "CO", category: .idp, days: 3),
                GapQuestion(kind: .coverage, days: 7),
            ])
    }

    @Test("a kept answer's rows are turned into reply values and text once; suppressed cells show as -")
    func renderedOncePerAnswer() async {
        let release = Date(timeIntervalSince1970: 1_796_083_200)
        let answer = GapsAnswer(
            question: GapQuestion(kind: .overdue, dimensions: [.priority]), scope: .organisation("ngo-a"),
            release: GapRelease(day: release, period: .month, asOf: release),
            published: PublishedGaps(
                columns: GapColumn.columns(of: .overdue, dimensions: ["priority"]),
                rows: [[.text("urgent"), .count(7), .figure(48), .figure(nil)]], protections: [], k: 5))
        var services = FakeServices.echoing()
        services.gaps = FakeGapsService(answer: answer)
        let analyst = await ConsoleHarness(services: services).signedIn(as: "ana", password: "ana")
        let first = await analyst.text("GAPS overdue by=priority")
        #expect(first.contains("250-scope: organisation ngo-a\r\n"))
        #expect(first.contains("250-release: 2026-12-01 (month); as of: 2026-12-01T00:00:00Z,"))
        let row = first.split(separator: "\r\n").first { $0.hasPrefix("urgent") }
        #expect(row?.split(separator: " ") == ["urgent", "7", "48.0", "-"], "\(first)")
        let rendered = answer.renderings.rendering("console.gaps") {
            GapsCommands.RenderedGaps(rows: [], text: KeptRendering())
        }
        #expect(rendered.rows == [[.string("urgent"), .int(7), .double(48), .null]])
        #expect(await analyst.text("GAPS overdue by=priority") == first)
    }
}
