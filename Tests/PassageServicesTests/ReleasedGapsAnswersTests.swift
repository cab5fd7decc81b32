import Foundation
import PassageCore
import Testing

@testable import PassageServices

/// Release answers kept in memory: found again by release, scope and question only, with one
/// set of renderings, and bounded in rows.
@Suite("Gaps: release answers kept in memory")
struct ReleasedGapsAnswersTests {
    static func stored(release: Date, rows: Int) -> GapReleases.Stored {
        GapReleases.Stored(
            release: release, asOf: release,
            published: PublishedGaps(
                columns: [GapColumn("area", .dimension), GapColumn("identified", .count)],
                rows: (0..<rows).map { [.text("A\($0)"), .count(5 + $0)] }, protections: [], k: 5))
    }

    @Test(
        "an answer is found by its release, scope and question, keeps one rendering, and the oldest go past the row bound"
    )
    func keptAndBounded() {
        let answers = ReleasedGapsAnswers(maximumRows: 10)
        let december = Date(timeIntervalSince1970: 1_796_083_200)
        let january = Date(timeIntervalSince1970: 1_798_761_600)
        let first = answers.keep(Self.stored(release: december, rows: 4), scope: "all", question: "unmet by= days=7")
        #expect(answers.answer(release: december, scope: "all", question: "unmet by= days=7")?.renderings === first)
        #expect(
            answers.keep(Self.stored(release: december, rows: 4), scope: "all", question: "unmet by= days=7") === first)
        #expect(answers.answer(release: january, scope: "all", question: "unmet by= days=7") == nil)
        #expect(answers.answer(release: december, scope: "organisation:1", question: "unmet by= days=7") == nil)
        #expect(answers.answer(release: december, scope: "all", question: "unmet by=area days=7") == nil)
        answers.keep(Self.stored(release: december, rows: 5), scope: "all", question: "overdue by=area")
        answers.keep(Self.stored(release: january, rows: 4), scope: "all", question: "unmet by= days=7")
        // 4 + 5 + 4 > 10: the oldest answer went.
        #expect(answers.answer(release: december, scope: "all", question: "unmet by= days=7") == nil)
        #expect(answers.count == 2 && answers.rowCount == 9)
        answers.keep(Self.stored(release: january, rows: 11), scope: "all", question: "outcomes by=")
        #expect(answers.answer(release: january, scope: "all", question: "outcomes by=") == nil)
    }
}
