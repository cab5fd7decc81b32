import Foundation
import PassageCore
import Synchronization

/// What GAPS answers (`GapsService.gaps`): a gap table after disclosure control, as frozen in
/// the current release, with what it covers and the protections applied. Wire-format-free: the
/// console renders it as a table with info lines, the HTTP API as JSON, CSV or HXL.
public struct GapsAnswer: Sendable, Equatable {
    /// The question answered (as asked: `published.columns` show the breakdown actually used).
    public var question: GapQuestion
    /// Whose rows were counted.
    public var scope: GapScope
    public var release: GapRelease
    /// The table, the protections applied and k.
    public var published: PublishedGaps
    /// Renderings interfaces made of this very answer, kept with it while the service keeps the
    /// answer in memory (a release's answer never changes). Not part of what the answer says,
    /// so not compared.
    public let renderings: GapsAnswerRenderings
    /// Where the answer was read when the server has a read pool; nil without one, and for an
    /// answer the service already held in memory (nothing was read).
    public var readSource: ReadSource?

    public var kind: GapKind { question.kind }

    public init(
        question: GapQuestion, scope: GapScope, release: GapRelease, published: PublishedGaps,
        renderings: GapsAnswerRenderings = GapsAnswerRenderings()
    ) {
        self.question = question
        self.scope = scope
        self.release = release
        self.published = published
        self.renderings = renderings
    }

    public static func == (lhs: GapsAnswer, rhs: GapsAnswer) -> Bool {
        lhs.question == rhs.question && lhs.scope == rhs.scope && lhs.release == rhs.release
            && lhs.published == rhs.published
    }
}

/// Whose rows a GAPS answer counts: policy staff's every organisation's, anyone else's their own.
public enum GapScope: Sendable, Hashable {
    case everyOrganisation
    case organisation(String)
}

/// The release an answer belongs to (issue 17): the first request of a question in a period
/// makes it, as of the period's start, and every later request of the period reads it.
public struct GapRelease: Sendable, Hashable {
    /// The start of the release's period (UTC): the release's boundary.
    public var day: Date
    public var period: StatisticsReleasePeriod
    /// What the counts are as of: the boundary — rows recorded before it, as they stood then
    /// where their history is kept.
    public var asOf: Date

    public init(day: Date, period: StatisticsReleasePeriod, asOf: Date) {
        self.day = day
        self.period = period
        self.asOf = asOf
    }

    /// `2026-12-01`: the release's day as its audit entries and replies name it.
    public var dayText: String { GapReleases.day(day) }
}

/// What interfaces made of one GAPS answer (its console table, an HTTP body …), made by the first
/// request that needs it and reused by the later ones: rendering GAPS outcomes (11,500 rows at a
/// million cases) was nearly all of a kept answer's time (Docs/performance.md). Each interface
/// names its own renderings; whoever stores one vouches that it was made from this answer.
public final class GapsAnswerRenderings: Sendable {
    private let kept = Mutex<[String: any Sendable]>([:])

    public init() {}

    /// The rendering called `name`, made by `make` the first time.
    public func rendering<T: Sendable>(_ name: String, _ make: () -> T) -> T {
        if let made = kept.withLock({ $0[name] }) as? T { return made }
        // Two first requests at once may both make it: the same rendering either way.
        let made = make()
        kept.withLock { $0[name] = made }
        return made
    }
}
