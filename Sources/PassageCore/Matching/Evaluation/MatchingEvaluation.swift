/// How well the matching finds the same person in an `EvaluationSet`: each pair counts as found
/// when the second record is retrieved by the first one's keys (blocking: the search would not
/// see it otherwise) and scores at or above the threshold. Recall is over the pairs of one
/// person; the false-match rate over the pairs of two people; precision over the pairs found.
public struct MatchingEvaluation: Sendable {
    public struct Point: Sendable {
        public let threshold: Double
        public let recall: Double
        public let falseMatchRate: Double
        public let precision: Double
    }

    /// Per pair: retrieved by the keys, score, same person, kind.
    public let outcomes: [(retrieved: Bool, score: Double, samePerson: Bool, kind: String)]

    public init(_ set: EvaluationSet) {
        outcomes = set.pairs.map { pair in
            let retrieved = !PersonMatchKeys.forQuery(pair.first).isDisjoint(
                with: PersonMatchKeys.forRecord(pair.second))
            return (retrieved, PersonMatchScore.score(pair.first, pair.second), pair.samePerson, pair.kind)
        }
    }

    public func point(at threshold: Double) -> Point {
        var truePositives = 0
        var falsePositives = 0
        var positives = 0
        var negatives = 0
        for outcome in outcomes {
            let found = outcome.retrieved && outcome.score >= threshold
            if outcome.samePerson {
                positives += 1
                if found { truePositives += 1 }
            } else {
                negatives += 1
                if found { falsePositives += 1 }
            }
        }
        let foundCount = truePositives + falsePositives
        return Point(
            threshold: threshold, recall: Double(truePositives) / Double(max(1, positives)),
            falseMatchRate: Double(falsePositives) / Double(max(1, negatives)),
            precision: foundCount == 0 ? 1 : Double(truePositives) / Double(foundCount))
    }

    /// The points from `low` to `high` in steps of `step`.
    public func curve(from low: Double, to high: Double, step: Double) -> [Point] {
        stride(from: low, through: high, by: step).map(point(at:))
    }

    /// The share of one person's pairs the keys retrieve at all (the ceiling of recall).
    public var blockingRecall: Double {
        let same = outcomes.filter(\.samePerson)
        return Double(same.filter(\.retrieved).count) / Double(max(1, same.count))
    }

    /// Recall per pair kind at `threshold` (which variations are missed).
    public func recallByKind(at threshold: Double) -> [(kind: String, pairs: Int, recall: Double)] {
        Dictionary(grouping: outcomes.filter(\.samePerson), by: \.kind).map { kind, group in
            (
                kind, group.count,
                Double(group.filter { $0.retrieved && $0.score >= threshold }.count) / Double(group.count)
            )
        }.sorted { $0.pairs > $1.pairs }
    }

    /// False-match rate per kind of different people at `threshold`.
    public func falseMatchesByKind(at threshold: Double) -> [(kind: String, pairs: Int, rate: Double)] {
        Dictionary(grouping: outcomes.filter { !$0.samePerson }, by: \.kind).map { kind, group in
            (
                kind, group.count,
                Double(group.filter { $0.retrieved && $0.score >= threshold }.count) / Double(group.count)
            )
        }.sorted { $0.pairs > $1.pairs }
    }
}
