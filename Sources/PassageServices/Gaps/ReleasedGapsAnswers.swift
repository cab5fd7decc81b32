import Foundation
import Synchronization

/// GAPS answers of releases, kept in memory once read (issue 17). An answer stored in
/// `gaps_releases` never changes — a release is frozen once made — so the server need not read
/// and decode its JSON again for every request: at a million cases `GAPS outcomes` is 11,500 rows,
/// and decoding them per request made a warm answer take 0.6 s (Docs/performance.md). The
/// first request of a question in a release reads (or makes) it and keeps it here, with the
/// renderings interfaces make of it (`GapsAnswerRenderings`); later ones take it from here. Every request is still audited
/// in its own transaction. Keyed by release, scope and question; at most `maximumRows` rows in
/// all, the oldest answers dropped first, so memory stays bounded.
final class ReleasedGapsAnswers: Sendable {
    struct Key: Hashable {
        var release: Date
        var scope: String
        var question: String
    }

    struct State {
        var answers: [Key: (stored: GapReleases.Stored, renderings: GapsAnswerRenderings)] = [:]
        /// Keys in the order they were added: the first goes when room is needed.
        var order: [Key] = []
        var rows = 0
    }

    let maximumRows: Int
    private let state = Mutex(State())

    init(maximumRows: Int = 50_000) {
        self.maximumRows = maximumRows
    }

    /// The kept answer to `question` in `release` for `scope`, if any.
    func answer(release: Date, scope: String, question: String) -> (
        stored: GapReleases.Stored, renderings: GapsAnswerRenderings
    )? {
        state.withLock { $0.answers[Key(release: release, scope: scope, question: question)] }
    }

    /// Keeps `stored` (an answer as stored in its release) unless it alone is over the bound;
    /// returns the renderings that go with it (those of the answer kept first, if another was).
    @discardableResult
    func keep(_ stored: GapReleases.Stored, scope: String, question: String) -> GapsAnswerRenderings {
        let rendering = GapsAnswerRenderings()
        let key = Key(release: stored.release, scope: scope, question: question)
        let rows = stored.published.rows.count
        guard rows <= maximumRows else { return rendering }
        return state.withLock { state in
            if let kept = state.answers[key] { return kept.renderings }
            while state.rows + rows > maximumRows, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                state.rows -= state.answers.removeValue(forKey: oldest)?.stored.published.rows.count ?? 0
            }
            state.answers[key] = (stored, rendering)
            state.order.append(key)
            state.rows += rows
            return rendering
        }
    }

    /// How many answers, and rows in all, are kept (tests).
    var count: Int { state.withLock { $0.answers.count } }
    var rowCount: Int { state.withLock { $0.rows } }
}
