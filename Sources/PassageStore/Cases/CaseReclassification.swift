import Foundation
import PassageCore
import Postgres

/// Classifies stored cases again under the classifier this build carries, in batches, while the
/// server runs (case-facts.md: "stored classifications keep the version that decided them").
/// Each case's superseded result moves to its history with the version that decided it, and
/// the new result becomes current. Supervisor overrides stay in force; where the new rule
/// result differs from the override, the case shows it (`CaseRecord.overrideDiffersFromRule`).
///
/// One batch is one short transaction: the batch's rows are read without locks, classified
/// here (the rules live in Swift, not in SQL), and written back by one statement that touches
/// only the rows whose facts have not changed since they were read (same `version`). A case a
/// caseworker changed meanwhile was classified by that change already, under the same
/// classifier as the server's, and is left alone. Casework therefore never waits on more than
/// one batch's row locks, for the few milliseconds of one UPDATE.
public struct CaseReclassification: Sendable {
    public let classifier: Classifier
    public let batchSize: Int
    /// Recorded as `classified_by` of every new result and as the audit actor.
    public let operatorName: String

    public static let batchSizes = 1...50_000

    public init(classifier: Classifier = Classifier(), batchSize: Int = 2_000, operatorName: String) {
        self.classifier = classifier
        self.batchSize = batchSize
        self.operatorName = operatorName
    }

    /// How many stored cases another classifier version decided.
    public static func pendingCount(on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query("SELECT count(*) FROM cases WHERE classifier_version <> \(Classifier.version)")
        return try rows[0].decode(Int.self)
    }

    /// The next batch after case id `after`: classified again and written back in one
    /// transaction. Returns nil when no case after `after` is pending.
    public func runBatch(after: Int64, on connection: PostgresConnection) throws -> ReclassificationBatch? {
        try classifyBatch(after: after, on: connection).map { try write($0, on: connection) }
    }

    /// Reads the next batch after case id `after` (no locks) and classifies it here. Nil when
    /// no case after `after` is pending.
    public func classifyBatch(after: Int64, on connection: PostgresConnection) throws -> ClassifiedBatch? {
        let read = try connection.query(
            """
            SELECT id, version, facts::text, categories, overridden, primary_category FROM cases
             WHERE id > \(after) AND classifier_version <> \(Classifier.version)
             ORDER BY id LIMIT \(batchSize)
            """)
        let rows = try read.map { try $0.decode((Int64, Int, String, [String], Bool, String?).self) }
        guard let last = rows.last else { return nil }
        var batch = ClassifiedBatch(lastCaseID: last.0)
        for (id, version, factsText, oldCategories, overridden, primaryCategory) in rows {
            let facts: CaseFacts
            do {
                facts = try CaseFacts.decode(jsonLine: factsText)
            } catch {
                // Stored facts were validated on the way in; one that no longer decodes was
                // edited by hand. It keeps its old result and is reported, not guessed at.
                batch.undecodable.append(id)
                continue
            }
            let result = classifier.classify(facts)
            batch.ids.append(Int(id))
            batch.versions.append(version)
            batch.results.append(result.resultJSON)
            batch.primaries.append(result.primaryID)
            batch.categories.append(result.categories.map(\.rawValue).joined(separator: ","))
            batch.reviews.append(result.review ? "t" : "f")
            batch.changes[id] = ClassifiedBatch.Change(
                oldCategories: oldCategories, newCategories: result.categories.map(\.rawValue),
                explainedBy: ContractChange.explaining(oldCategories: oldCategories, new: result, facts: facts),
                override: overridden ? primaryCategory : nil,
                newPrimary: result.primaryID)
        }
        return batch
    }

    /// Writes a classified batch back, in one transaction, to the cases whose facts did not
    /// change since `classifyBatch` read them.
    public func write(_ classified: ClassifiedBatch, on connection: PostgresConnection) throws -> ReclassificationBatch
    {
        var batch = ReclassificationBatch(lastCaseID: classified.lastCaseID)
        batch.undecodable = classified.undecodable
        guard !classified.ids.isEmpty else { return batch }
        let (ids, versions, results) = (classified.ids, classified.versions, classified.results)
        let (primaries, categories, reviews) = (classified.primaries, classified.categories, classified.reviews)

        // Data-modifying CTEs share one snapshot: `old` is each row as it was before the update,
        // locked, and only if nobody changed its facts since the read above. It carries the new
        // values along, so the UPDATE joins `old` alone (by primary key): joining the two CTEs
        // as well made PostgreSQL compare every pair of rows, 0.95 s for a batch of 2,000.
        let written = try connection.transaction { connection in
            try connection.query(
                """
                WITH batch AS (
                    SELECT * FROM unnest(\(ids)::int8[], \(versions)::int8[], \(results)::text[], \(primaries)::text[],
                                         \(categories)::text[], \(reviews)::text[])
                           AS b(id, version, result, primary_category, categories, review)),
                old AS (
                    SELECT c.id, c.version, c.classifier_version, c.classification, c.classified_by, c.classified_at,
                           b.result, b.primary_category AS new_primary, b.categories AS new_categories, b.review AS new_review
                      FROM cases c JOIN batch b ON b.id = c.id AND b.version = c.version
                     WHERE c.classifier_version <> \(Classifier.version)
                       FOR UPDATE OF c),
                superseded AS (
                    INSERT INTO classifications (case_id, case_version, source, classifier_version, primary_category, result, decided_by, decided_at)
                    SELECT id, version, 'rule', classifier_version, classification->>'primary', classification, classified_by, classified_at FROM old)
                UPDATE cases c
                   SET classification = old.result::json, classifier_version = \(Classifier.version),
                       classified_by = \(operatorName), classified_at = now(),
                       primary_category = CASE WHEN c.overridden THEN c.primary_category ELSE old.new_primary END,
                       categories = string_to_array(old.new_categories, ','), review = old.new_review::boolean
                  FROM old
                 WHERE c.id = old.id
                RETURNING c.id
                """)
        }
        for row in written {
            let id = try row.decode(Int64.self)
            guard let change = classified.changes[id] else { continue }
            batch.reclassified += 1
            if Set(change.oldCategories) != Set(change.newCategories) {
                batch.changedCategory += 1
                for contractChange in change.explainedBy { batch.changedBy[contractChange, default: 0] += 1 }
            }
            if let override = change.override, override != change.newPrimary {
                batch.overridesDiffering.append(id)
            }
        }
        batch.leftAlone = ids.count - batch.reclassified
        return batch
    }
}

/// A batch read and classified, not yet written: the new results as the columns of one
/// statement's arrays, and what each case's change is, for the report.
public struct ClassifiedBatch: Sendable {
    public struct Change: Sendable {
        let oldCategories: [String]
        let newCategories: [String]
        let explainedBy: [ContractChange]
        /// The category a supervisor set, when the case is overridden.
        let override: String?
        let newPrimary: String
    }

    public let lastCaseID: Int64
    var ids: [Int] = [], versions: [Int] = [], results: [String] = [], primaries: [String] = []
    var categories: [String] = [], reviews: [String] = []
    var changes: [Int64: Change] = [:]
    var undecodable: [Int64] = []

    init(lastCaseID: Int64) {
        self.lastCaseID = lastCaseID
    }
}
