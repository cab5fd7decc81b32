import Foundation
import PassageCore
import PassageServices
import Synchronization

/// GapsService in memory, for the console's tests: it records the typed questions it was asked
/// and answers `answer` (by default an empty unmet table of every organisation).
final class FakeGapsService: GapsService {
    private let questions = Mutex<[GapQuestion]>([])
    let answer: GapsAnswer?

    init(answer: GapsAnswer? = nil) {
        self.answer = answer
    }

    /// What was asked, oldest first.
    var asked: [GapQuestion] { questions.withLock { $0 } }

    func gaps(_ question: GapQuestion, by actor: Actor) async throws(ServiceError) -> GapsAnswer {
        questions.withLock { $0.append(question) }
        if let answer { return answer }
        let release = Date(timeIntervalSince1970: 1_796_083_200)
        return GapsAnswer(
            question: question, scope: .everyOrganisation,
            release: GapRelease(day: release, period: .month, asOf: release),
            published: PublishedGaps(
                columns: GapColumn.columns(of: question.kind, dimensions: question.dimensions.map(\.rawValue)),
                rows: [], protections: [], k: 5))
    }
}
