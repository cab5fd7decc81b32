import Foundation
import PassageCore
import PassageStore
import Postgres
import Synchronization

/// GAPS answers from the rollup, published once per rollup refresh instead of once per request.
///
/// What a rollup answer publishes depends only on the rollup's rows (true counts and cell keys)
/// and the fixed disclosure parameters, and those rows change only when a refresh replaces them
/// all. Publishing them again for every request gives the same answer each time, at a cost that
/// grows with the answer: GAPS outcomes at a million cases is about 1,300 provider × service
/// groups, 18 measures each, 11,500 lines (Docs/performance.md). So the first request for a
/// question after a refresh publishes it and keeps it here; later ones read it until the next
/// refresh. Disclosure is unchanged: a kept answer is exactly the one publishing those rows again
/// would give (`GapsCacheTests`). Since issue 17 GAPS answers from releases made from the base
/// tables (`GapReleases`), so no use case reads this cache; it stays with the rollup (Docs/gaps.md).
///
/// Keyed by the refresh (`GapRollup.Stamp.id`, new with every refresh), the kind, the scope (an
/// analyst's organisation, or every organisation) and the breakdown. Answers of older refreshes
/// are dropped as soon as a newer refresh is seen, and at most `maximumRows` published rows are
/// kept in all (the oldest answers go first), which bounds the memory it holds.
final class PublishedGapsCache: Sendable {
    struct Key: Hashable {
        var kind: GapKind
        var organisation: Int64?
        var dimensions: [GapDimension]
    }

    struct State {
        var refresh: Int64?
        var answers: [Key: PublishedGaps] = [:]
        /// Keys in the order they were added: the first goes when room is needed.
        var order: [Key] = []
        var rows = 0
    }

    let maximumRows: Int
    private let state = Mutex(State())

    init(maximumRows: Int = 50_000) {
        self.maximumRows = maximumRows
    }

    /// The published answer to `query` from the rollup, with the time it is as of, or nil when
    /// the rollup does not hold the question or its refresh finished more than `maximumAge`
    /// seconds ago (the caller then reads the base tables).
    func answer(_ query: GapQuery, maximumAge: Double, on connection: PostgresConnection)
        throws -> (published: PublishedGaps, asOf: Date)?
    {
        let query = try query.validated()
        guard GapRollup.holds(query), let stamp = try GapRollup().latestRefresh(on: connection),
            stamp.finished.timeIntervalSinceNow > -maximumAge
        else { return nil }
        let key = Key(kind: query.kind, organisation: query.organisation, dimensions: query.dimensions)
        if let kept = kept(key, refresh: stamp.id) { return (kept, stamp.asOf) }
        guard let rolled = try GapRollup().lookup(query, on: connection) else { return nil }
        let published = try GapPublication.publish(rolled.table)
        // Kept under the refresh read before the rows: should a refresh have committed in between,
        // its id is already the latest, so this entry is never read (and the answer is as the
        // uncached path always gave it).
        keep(published, key, refresh: stamp.id)
        return (published, stamp.asOf)
    }

    /// How many answers, and published rows in all, are kept (tests).
    var count: Int { state.withLock { $0.answers.count } }
    var rowCount: Int { state.withLock { $0.rows } }

    private func kept(_ key: Key, refresh: Int64) -> PublishedGaps? {
        state.withLock { state in state.refresh == refresh ? state.answers[key] : nil }
    }

    private func keep(_ published: PublishedGaps, _ key: Key, refresh: Int64) {
        guard published.rows.count <= maximumRows else { return }
        state.withLock { state in
            if let current = state.refresh, current > refresh { return }
            if state.refresh != refresh { state = State(refresh: refresh) }
            if let previous = state.answers.removeValue(forKey: key) {
                state.rows -= previous.rows.count
                state.order.removeAll { $0 == key }
            }
            while state.rows + published.rows.count > maximumRows, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                state.rows -= state.answers.removeValue(forKey: oldest)?.rows.count ?? 0
            }
            state.answers[key] = published
            state.order.append(key)
            state.rows += published.rows.count
        }
    }
}
