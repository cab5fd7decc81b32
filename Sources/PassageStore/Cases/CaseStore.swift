import Foundation
import PassageCore
import Postgres

/// Cases and their classification. Every operation runs on a connection the caller holds,
/// inside the caller's transaction, so a handler can add its audit entry to the same commit.
/// Every query is scoped by organisation: a case of another organisation is "not found".
public struct CaseStore: Sendable {
    public let classifier: Classifier

    public init(classifier: Classifier = Classifier()) {
        self.classifier = classifier
    }

    /// Records a new case, classified in the same statement.
    public func create(_ facts: CaseFacts, organisation: Int64, caseworker: String, on connection: PostgresConnection)
        throws -> CaseRecord
    {
        let result = classifier.classify(facts)
        let categories = result.categories.map(\.rawValue)
        let rows: PostgresRows
        do {
            rows = try connection.query(
                """
                INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                                   primary_category, categories, review)
                VALUES (\(organisation), \(facts.ref), \(caseworker), \(PostgresJSON(rawJSON: facts.canonicalJSON)),
                        \(result.resultJSON)::json, \(Classifier.version), \(caseworker), \(result.primaryID), \(categories), \(result.review))
                RETURNING \(Self.columns)
                """)
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            throw StoreError.duplicate("a case with ref \(facts.ref) in this organisation")
        }
        return try Self.record(from: rows[0])
    }

    /// The case `id` if it belongs to `organisation`.
    public func find(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> CaseRecord {
        let rows = try connection.query(
            "SELECT \(Self.columns) FROM cases WHERE id = \(id) AND organisation_id = \(organisation)")
        guard let row = rows.first else { throw StoreError.notFound("case \(id)") }
        return try Self.record(from: row)
    }

    /// Replaces the facts of case `id`, provided nobody changed it since `expectedVersion`,
    /// and re-classifies in the same statement; the superseded rule result moves to the
    /// history. An override stays in force: it is a supervisor's judgement with a reason, and
    /// only another override replaces it.
    public func update(
        id: Int64, expectedVersion: Int, facts: CaseFacts, organisation: Int64, actor: String,
        on connection: PostgresConnection
    ) throws -> CaseRecord {
        let result = classifier.classify(facts)
        let categories = result.categories.map(\.rawValue)
        let rows: PostgresRows
        do {
            // Data-modifying CTEs share one snapshot: `old` is the row as it was before the update.
            rows = try connection.query(
                """
                WITH old AS (
                    SELECT id, version, classifier_version, classification, classified_by, classified_at FROM cases
                     WHERE id = \(id) AND organisation_id = \(organisation) AND version = \(expectedVersion)
                     FOR UPDATE),
                superseded AS (
                    INSERT INTO classifications (case_id, case_version, source, classifier_version, primary_category, result, decided_by, decided_at)
                    SELECT id, version, 'rule', classifier_version, classification->>'primary', classification, classified_by, classified_at FROM old)
                UPDATE cases
                   SET ref = \(facts.ref), facts = \(PostgresJSON(rawJSON: facts.canonicalJSON)), version = cases.version + 1,
                       classification = \(result.resultJSON)::json, classifier_version = \(Classifier.version),
                       classified_by = \(actor), classified_at = now(),
                       primary_category = CASE WHEN overridden THEN primary_category ELSE \(result.primaryID) END,
                       categories = \(categories), review = \(result.review), updated_at = now()
                  FROM old WHERE cases.id = old.id
                RETURNING \(Self.qualifiedColumns)
                """)
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            throw StoreError.duplicate("a case with ref \(facts.ref) in this organisation")
        }
        guard let row = rows.first else {
            throw try staleOrMissing(id: id, organisation: organisation, given: expectedVersion, on: connection)
        }
        return try Self.record(from: row)
    }

    /// A supervisor sets the category in force, with a reason. The rule result stays in the
    /// history and in `classification`; the override is added, never written over it.
    public func override(
        id: Int64, category: String, reason: String, organisation: Int64, supervisor: String,
        on connection: PostgresConnection
    ) throws -> CaseRecord {
        guard MovementCategory(rawValue: category) != nil || category == MovementCategory.unclassifiedID else {
            throw StoreError.invalid(
                argument: "category",
                message:
                    "category must be one of \(MovementCategory.allCases.map(\.rawValue).joined(separator: ", ")), \(MovementCategory.unclassifiedID)"
            )
        }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(argument: "reason", message: "reason must not be empty")
        }
        let rows = try connection.query(
            """
            UPDATE cases SET primary_category = \(category), overridden = true, updated_at = now()
             WHERE id = \(id) AND organisation_id = \(organisation)
            RETURNING \(Self.columns)
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(id)") }
        let record = try Self.record(from: row)
        try connection.execute(
            """
            INSERT INTO classifications (case_id, case_version, source, primary_category, reason, decided_by)
            VALUES (\(id), \(record.version), 'override', \(category), \(trimmed), \(supervisor))
            """)
        return record
    }

    /// Cases of `organisation` in id order, optionally only one category or only those
    /// needing review; `after` pages on from the last id seen.
    public func list(
        organisation: Int64, category: String?, reviewOnly: Bool, after: Int64? = nil, limit: Int,
        on connection: PostgresConnection
    ) throws -> [CaseSummary] {
        let rows = try connection.query(
            """
            SELECT id, ref, version, primary_category, review, updated_at FROM cases
             WHERE organisation_id = \(organisation)
               AND (\(category)::text IS NULL OR primary_category = \(category))
               AND (NOT \(reviewOnly) OR review)
               AND id > \(after ?? 0)
             ORDER BY id LIMIT \(limit)
            """)
        return try rows.map { row in
            let (id, ref, version, primaryCategory, review, updatedAt) = try row.decode(
                (Int64, String, Int, String, Bool, Date).self)
            return CaseSummary(
                id: id, ref: ref, version: version, primaryCategory: primaryCategory, review: review,
                updatedAt: updatedAt)
        }
    }

    /// The classification history of case `id`, oldest first: superseded rule results and
    /// overrides from `classifications`, then the current rule result from `cases`.
    public func history(caseID id: Int64, organisation: Int64, on connection: PostgresConnection) throws
        -> [ClassificationEntry]
    {
        let rows = try connection.query(
            """
            SELECT h.case_version, h.source, h.classifier_version, h.primary_category, h.result::text, h.reason, h.decided_by, h.decided_at
              FROM classifications h JOIN cases c ON c.id = h.case_id
             WHERE c.id = \(id) AND c.organisation_id = \(organisation)
            UNION ALL
            SELECT version, 'rule', classifier_version, classification->>'primary', classification::text, NULL, classified_by, classified_at
              FROM cases WHERE id = \(id) AND organisation_id = \(organisation)
            """)
        guard !rows.isEmpty else { throw StoreError.notFound("case \(id)") }
        let entries = try rows.map { row in
            let (caseVersion, source, classifierVersion, primaryCategory, resultJSON, reason, decidedBy, decidedAt) =
                try row.decode((Int, String, String?, String, String?, String?, String, Date).self)
            return ClassificationEntry(
                caseVersion: caseVersion, source: ClassificationEntry.Source(rawValue: source) ?? .rule,
                classifierVersion: classifierVersion, primaryCategory: primaryCategory, resultJSON: resultJSON,
                reason: reason, decidedBy: decidedBy, decidedAt: decidedAt)
        }
        // By version; within one version the rule result first, then overrides made on it.
        return entries.sorted { lhs, rhs in
            if lhs.caseVersion != rhs.caseVersion { return lhs.caseVersion < rhs.caseVersion }
            if lhs.source != rhs.source { return lhs.source == .rule }
            return lhs.decidedAt < rhs.decidedAt
        }
    }

    private func staleOrMissing(id: Int64, organisation: Int64, given: Int, on connection: PostgresConnection) throws
        -> StoreError
    {
        let rows = try connection.query(
            "SELECT version FROM cases WHERE id = \(id) AND organisation_id = \(organisation)")
        guard let row = rows.first else { return .notFound("case \(id)") }
        return .staleVersion(current: try row.decode(Int.self), given: given)
    }

    static let columns = SQLFragment(
        """
        id, organisation_id, ref, caseworker, facts::text, version, classification::text, primary_category, \
        categories, review, overridden, created_at, updated_at
        """)

    /// The same columns for a statement that joins another table (UPDATE … FROM).
    static let qualifiedColumns = SQLFragment(
        """
        cases.id, cases.organisation_id, cases.ref, cases.caseworker, cases.facts::text, cases.version, \
        cases.classification::text, cases.primary_category, cases.categories, cases.review, cases.overridden, \
        cases.created_at, cases.updated_at
        """)

    /// Reads a row of `columns`.
    static func record(from row: PostgresRow) throws -> CaseRecord {
        let (
            id, organisationID, ref, caseworker, factsJSON, version, classificationJSON, primaryCategory, categories,
            review,
            overridden, createdAt, updatedAt
        ) =
            try row.decode(
                (Int64, Int64, String, String, String, Int, String, String, [String], Bool, Bool, Date, Date).self)
        let facts: CaseFacts
        do {
            facts = try CaseFacts.decode(jsonLine: factsJSON)
        } catch {
            // Stored facts were validated on the way in; failing here means the table was
            // edited by hand, which must be loud rather than silently dropped.
            throw StoreError.conflict("stored facts of case \(id) no longer decode: \(error)")
        }
        return CaseRecord(
            id: id, organisationID: organisationID, ref: ref, caseworker: caseworker, facts: facts, version: version,
            classificationJSON: classificationJSON, primaryCategory: primaryCategory, categories: categories,
            review: review,
            overridden: overridden, createdAt: createdAt, updatedAt: updatedAt)
    }
}
