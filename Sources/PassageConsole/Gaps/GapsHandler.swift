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
    /// Heavy queries at once, per user and in all (452 beyond).
    var gate = HeavyQueryGate()
    /// Answers frozen per release period (issue 17).
    var releases = GapReleases()
    /// Those answers kept in memory once read: they never change.
    var answers = ReleasedGapsAnswers()

    func handle(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        guard let kind = GapKind(rawValue: try invocation.text("kind")) else {
            throw ConsoleError.badArgument(
                argument: "kind", message: "unknown kind (unmet, overdue, coverage or outcomes)")
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
        let gaps = self.gaps
        let store = self.store
        let releases = self.releases
        let question =
            "\(kind.rawValue) "
            + Self.describe(GapQuery(kind: kind, by: by, area: area, category: category, days: days, organisation: nil))
        let scope = everyOrganisation ? "all" : "organisation:\(user.organisation)"
        // The release's answer; the first request of the period makes it: true counts from the
        // base tables as of the release's boundary (rows recorded before it, facts as they stood
        // then where a history is kept), published from the release's cells (threshold update
        // across releases, the scope's DP policy), stored, in one transaction. The rollup is not
        // read here: it holds counts as of its refresh, not as of a boundary.
        let boundary = releases.boundary
        let answers = self.answers
        let inMemory = answers.answer(release: boundary, scope: scope, question: question)
        let stored = try await gate.run(user: user.name) { () async throws(ConsoleError) -> GapReleases.Stored in
            try await store.transaction { connection -> GapReleases.Stored in
                let organisation = everyOrganisation ? nil : try user.organisationID(on: connection)
                let query = GapQuery(
                    kind: kind, by: by, area: area, category: category, days: days, organisation: organisation,
                    now: boundary)
                let stored: GapReleases.Stored
                if let inMemory {
                    stored = inMemory.stored
                } else if let kept = try releases.read(question: question, scope: scope, on: connection) {
                    stored = kept
                } else {
                    let table = try gaps.run(query, on: connection)
                    let published = try releases.publish(
                        table, kind: kind, question: question, area: area, category: category, days: days,
                        scope: scope, on: connection)
                    stored = try releases.keep(
                        published, asOf: boundary, question: question, scope: scope, actor: user.name,
                        source: session.source, on: connection)
                }
                try AuditLog.append(
                    actor: user.name, action: kind.auditAction,
                    subject: everyOrganisation ? "organisations:all" : "organisation:\(user.organisation)",
                    source: session.source, detail: Self.describe(query), on: connection)
                return stored
            }
        }
        // Kept only once the transaction (and its audit entry) committed.
        let rendering = inMemory?.rendering ?? answers.keep(stored, scope: scope, question: question)
        let published = stored.published
        var info = [
            "scope: " + (everyOrganisation ? "every organisation" : "organisation \(user.organisation)"),
            "release: \(GapReleases.day(stored.release)) (\(releases.period.rawValue)); as of: \(ConsoleTime.text(stored.asOf)), the release's boundary: rows recorded before it, as they stood then where their history is kept",
        ]
        info += published.protections.map { "protection: " + $0.summary }
        info.append(
            "counts below k=\(published.k) after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out"
        )
        if kind == .coverage {
            info.append(
                "a pair is a gap when its published open needs are shown and no active provider serves it, or they exceed the providers' stated capacity"
            )
        }
        if kind == .unmet {
            info.append(
                "unmet: open, identified at least \(days) day(s) ago, and no referral pending, accepted or completed successfully"
            )
        }
        var block = DataBlock.table("gaps \(kind.rawValue)", columns: published.columns, rows: published.rows)
        block.kept = rendering
        return Reply(
            code: 250, message: block.countText, fields: [ReplyField("kind", .string(kind.rawValue))], info: info,
            data: block)
    }

    static func describe(_ query: GapQuery) -> String {
        var parts = ["by=" + query.dimensions.map(\.rawValue).joined(separator: ",")]
        if let area = query.area { parts.append("area=\(area)") }
        if let category = query.category { parts.append("category=\(category)") }
        if query.kind == .unmet { parts.append("days=\(query.days)") }
        return parts.joined(separator: " ")
    }
}
