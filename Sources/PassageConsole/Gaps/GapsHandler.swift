import Foundation
import PassageCore
import PassageStore
import Postgres

/// `GAPS unmet|overdue|coverage|outcomes`: where protection is failing, in aggregate only.
/// Analysts see their organisation's cases, policy staff every organisation's; every count is
/// published through the disclosure control and the reply states the protections applied.
struct GapsHandler: Sendable {
    let store: StoreCall
    let gaps: GapsStore
    /// Rollup answers, published once per refresh (see `PublishedGapsCache`).
    let published = PublishedGapsCache()
    /// Heavy queries at once, per user and in all (452 beyond).
    var gate = HeavyQueryGate()
    /// Answers frozen per release period (issue 17).
    var releases = GapReleases()

    func handle(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        guard let kind = GapKind(rawValue: try invocation.text("kind")) else {
            throw ConsoleError.badArgument(argument: "kind", message: "unknown kind (unmet, overdue, coverage or outcomes)")
        }
        var dimensions: [GapDimension] = []
        for name in invocation.list("by") ?? [] {
            guard let dimension = GapDimension(rawValue: name) else {
                throw ConsoleError.badArgument(argument: "by", message: "unknown dimension \(name)")
            }
            dimensions.append(dimension)
        }
        let by = dimensions
        let everyOrganisation = user.role == .policy
        let area = invocation.optionalText("area")
        let category = invocation.optionalText("category")
        let days = invocation.optionalInt("days") ?? 7
        let gaps = self.gaps, cache = self.published
        // From the rollup: already published (once per refresh); from the base tables: true
        // counts, published below, outside the transaction.
        enum Answer: Sendable { case released(GapReleases.Stored), rollup(PublishedGaps, asOf: Date, KeptRendering), base(GapTable, asOf: Date) }
        let store = self.store, releases = self.releases
        let question = "\(kind.rawValue) " + Self.describe(GapQuery(kind: kind, by: by, area: area, category: category, days: days, organisation: nil))
        let scope = everyOrganisation ? "all" : "organisation:\(user.organisation)"
        let answer = try await gate.run(user: user.name) { () async throws(ConsoleError) -> Answer in try await store.transaction { connection -> Answer in
            let organisation = everyOrganisation ? nil : try user.organisationID(on: connection)
            let query = GapQuery(kind: kind, by: by, area: area, category: category, days: days, organisation: organisation)
            let answer: Answer
            do {
                if let stored = try releases.read(question: question, scope: scope, on: connection) {
                    answer = .released(stored)
                } else if let rolled = try cache.answer(query, maximumAge: Self.rollupMaximumAge, on: connection) {
                    answer = .rollup(rolled.published, asOf: rolled.asOf, rolled.rendering)
                } else {
                    answer = .base(try gaps.run(query, on: connection), asOf: Date())
                }
            } catch let error as DisclosureError {
                throw ConsoleError.badArgument(argument: "by", message: error.description)
            }
            try AuditLog.append(actor: user.name, action: "gaps.\(kind.rawValue)", subject: everyOrganisation ? "organisations:all" : "organisation:\(user.organisation)",
                                source: session.source, detail: Self.describe(query), on: connection)
            return answer
        } }
        var rendering: KeptRendering?
        let stored: GapReleases.Stored
        switch answer {
        case .released(let kept):
            stored = kept
        case .rollup(let rolled, let time, let kept):
            stored = try await keep(rolled, asOf: time, question: question, scope: scope, user: user.name, session: session)
            // A kept rendering belongs to the rows it was made for.
            rendering = stored.published == rolled ? kept : nil
        case .base(let table, let time):
            let fresh: PublishedGaps
            do {
                fresh = try GapPublication.publish(table)
            } catch {
                throw ConsoleError.badArgument(argument: "by", message: error.description)
            }
            stored = try await keep(fresh, asOf: time, question: question, scope: scope, user: user.name, session: session)
        }
        let published = stored.published
        var info = ["scope: " + (everyOrganisation ? "every organisation" : "organisation \(user.organisation)"),
                    "release: \(GapReleases.day(stored.release)) (\(releases.period.rawValue)); as of: \(ConsoleTime.text(stored.asOf)), when the release was made"]
        info += published.protections.map { "protection: " + $0.summary }
        info.append("counts below k=\(published.k) after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out")
        if kind == .coverage { info.append("a pair is a gap when its published open needs are shown and no active provider serves it, or they exceed the providers' stated capacity") }
        if kind == .unmet { info.append("unmet: open, identified at least \(days) day(s) ago, and no referral pending, accepted or completed successfully") }
        var block = DataBlock.table("gaps \(kind.rawValue)", columns: published.columns, rows: published.rows)
        block.kept = rendering
        return Reply(code: 250, message: block.countText, fields: [ReplyField("kind", .string(kind.rawValue))], info: info, data: block)
    }

    /// Stores a freshly published answer as the release's, or reads the one another request stored first.
    func keep(_ published: PublishedGaps, asOf: Date, question: String, scope: String, user: String, session: Session) async throws -> GapReleases.Stored {
        let releases = self.releases
        return try await store.transaction { connection in
            try releases.keep(published, asOf: asOf, question: question, scope: scope, actor: user, source: session.source, on: connection)
        }
    }

    /// A rollup whose refresh finished longer ago than this (seconds) is not used: `serve`
    /// refreshes it every few minutes, so an older one means refreshing stopped.
    static let rollupMaximumAge: Double = 15 * 60

    static func describe(_ query: GapQuery) -> String {
        var parts = ["by=" + query.dimensions.map(\.rawValue).joined(separator: ",")]
        if let area = query.area { parts.append("area=\(area)") }
        if let category = query.category { parts.append("category=\(category)") }
        if query.kind == .unmet { parts.append("days=\(query.days)") }
        return parts.joined(separator: " ")
    }
}
