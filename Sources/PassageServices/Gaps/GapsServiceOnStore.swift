import Foundation
import PassageCore
import PassageStore
import Postgres

/// GapsService over PassageStore: each use case one transaction with its scope and audit entry.
struct GapsServiceOnStore: GapsService {
    let store: StoreWork
    var gaps = GapsStore()
    /// Heavy queries one user, and the server, may run at once (shared with STATS; nil: no limit).
    var gate: HeavyQueryLimit?
    /// Answers frozen per release period (issue 17).
    var releases = GapReleases()
    /// Those answers kept in memory once read: they never change.
    var answers = ReleasedGapsAnswers()
    /// The read standby the release's answer is looked up or counted on, when the server has
    /// one (`--read-database-url`).
    var replica: ReadReplica?

    func gaps(_ question: GapQuestion, by actor: Actor) async throws(ServiceError) -> GapsAnswer {
        try actor.require(.gaps)
        let kind = question.kind
        let asked = GapQuery(
            kind: kind, by: question.dimensions, area: question.area, category: question.category?.rawValue,
            days: question.days, organisation: nil)
        do { _ = try asked.validated() } catch { throw StoreWork.serviceError(for: error) }
        let everyOrganisation = actor.role == .policy
        let described = Self.describe(asked)
        // The key of the stored answer (never changes: releases already stored are keyed so).
        let text = "\(kind.rawValue) \(described)"
        let scope = everyOrganisation ? "all" : "organisation:\(actor.organisation)"
        // The release's answer; the first request of the period makes it: true counts from the
        // base tables as of the release's boundary (rows recorded before it, facts as they stood
        // then where a history is kept), published from the release's cells (threshold update
        // across releases, the scope's DP policy), stored, in one transaction. The rollup is not
        // read here: it holds counts as of its refresh, not as of a boundary.
        let releases = self.releases
        let boundary = releases.boundary
        let inMemory = answers.answer(release: boundary, scope: scope, question: text)
        let gaps = self.gaps
        let replica = inMemory == nil ? self.replica : nil
        let store = self.store
        let (stored, source) = try await gated(actor) {
            () async throws(ServiceError) -> (GapReleases.Stored, ReadSource?) in
            // With a read standby (Docs/architecture.md "Heavy reads on a standby"): the
            // release's answer is looked up there, and counted there when it is not kept yet
            // (read-only, as of the boundary); only the small writes run on the primary below.
            var fromStandby: ReplicaRead<GapsRead>?
            if let replica {
                do {
                    fromStandby = try await replica.read(primary: store.pool, replayedPast: boundary) { connection in
                        if let kept = try releases.read(question: text, kind: kind, scope: scope, on: connection) {
                            return .kept(kept)
                        }
                        var query = asked
                        query.organisation = try StatisticsServiceOnStore.counted(for: actor, on: connection)
                        query.now = boundary
                        return .counted(try gaps.run(query, on: connection))
                    }
                } catch {
                    throw StoreWork.serviceError(for: error)
                }
            }
            let read = fromStandby?.value
            let stored = try await store.transaction(actor) { connection -> GapReleases.Stored in
                let stored: GapReleases.Stored
                if let inMemory {
                    stored = inMemory.stored
                } else if case .kept(let kept) = read {
                    stored = kept
                } else if let kept = try releases.read(question: text, kind: kind, scope: scope, on: connection) {
                    // Kept on the primary since (another request made it): the frozen answer wins.
                    stored = kept
                } else {
                    let table: GapTable
                    if case .counted(let counted) = read {
                        table = counted
                    } else {
                        var query = asked
                        query.organisation = try StatisticsServiceOnStore.counted(for: actor, on: connection)
                        query.now = boundary
                        table = try gaps.run(query, on: connection)
                    }
                    let published = try releases.publish(
                        table, kind: kind, question: text, area: question.area, category: question.category?.rawValue,
                        days: question.days, scope: scope, on: connection)
                    stored = try releases.keep(
                        published, kind: kind, asOf: boundary, question: text, scope: scope, actor: actor.name,
                        source: actor.source, on: connection)
                }
                try AuditLog.append(
                    actor: actor.name, action: kind.auditAction,
                    subject: everyOrganisation ? "organisations:all" : "organisation:\(actor.organisation)",
                    source: actor.source, detail: described, on: connection)
                return stored
            }
            return (stored, fromStandby?.source)
        }
        // Kept only once the transaction (and its audit entry) committed.
        let renderings = inMemory?.renderings ?? answers.keep(stored, scope: scope, question: text)
        var answer = GapsAnswer(
            question: question, scope: everyOrganisation ? .everyOrganisation : .organisation(actor.organisation),
            release: GapRelease(
                day: stored.release, period: StatisticsReleasePeriod(releases.period), asOf: stored.asOf),
            published: stored.published, renderings: renderings)
        answer.readSource = source
        return answer
    }

    /// What the read standby found: the release's kept answer, or the true counts to publish.
    enum GapsRead: Sendable {
        case kept(GapReleases.Stored)
        case counted(GapTable)
    }

    /// `body` within the heavy-query limit of the actor, when there is one (`busy` beyond it).
    private func gated<T>(_ actor: Actor, _ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        guard let gate else { return try await body() }
        return try await gate.admitting(actor.name, body)
    }

    /// `by=origin,sex area=CO days=7`: what was asked, as audited and as the stored answer's key.
    static func describe(_ query: GapQuery) -> String {
        var parts = ["by=" + query.dimensions.map(\.rawValue).joined(separator: ",")]
        if let area = query.area { parts.append("area=\(area)") }
        if let category = query.category { parts.append("category=\(category)") }
        if query.kind == .unmet { parts.append("days=\(query.days)") }
        return parts.joined(separator: " ")
    }
}
