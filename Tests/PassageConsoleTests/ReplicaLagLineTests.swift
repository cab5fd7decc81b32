import Foundation
import PassageCore
import PassageServices
import Testing

@testable import PassageConsole

/// The `replica …` info line of a GAPS reply read through a read pool (Docs/console-protocol.md
/// "Replica lag"): first among the info lines, before the data block, in text and JSON; no line
/// without a read pool.
@Suite struct ReplicaLagLineTests {
    static func answer(_ source: ReadSource?) -> GapsAnswer {
        var answer = GapsAnswer(
            question: GapQuestion(kind: .unmet, dimensions: [.origin]), scope: .everyOrganisation,
            release: GapRelease(
                day: Date(timeIntervalSince1970: 1_780_272_000), period: .month,
                asOf: Date(timeIntervalSince1970: 1_780_272_000)),
            published: PublishedGaps(
                columns: GapColumn.columns(of: .unmet, dimensions: ["origin"]), rows: [], protections: [], k: 5))
        answer.readSource = source
        return answer
    }

    @Test func theStandbysLagIsTheFirstInfoLine() {
        let lines = ReplyWriter.lines(GapsCommands.reply(Self.answer(.standby(lag: .milliseconds(400)))), format: .text)
        #expect(lines.first == "250-replica lag=0.4s")
        let json = ReplyWriter.lines(
            GapsCommands.reply(Self.answer(.primary(because: .standbyUnreachable))), format: .json)
        #expect(json.first == #"250-{"info":"replica primary reason=standby-unreachable"}"#)
    }

    @Test func noReadPoolNoLine() {
        let lines = ReplyWriter.lines(GapsCommands.reply(Self.answer(nil)), format: .text)
        #expect(!lines.contains { $0.contains("replica") })
        #expect(lines.first?.hasPrefix("250-scope:") == true)
    }
}
