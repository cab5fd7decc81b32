import Foundation
import PassageCore
import PassageServices

/// Keys of the hand-written encoders below (snake_case, as every body of the API).
struct ResourceKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init(stringLiteral value: String) { self.stringValue = value }
    init?(intValue: Int) { nil }
}

/// A case as it now stands (CASE NEW, CASE SET and CASE OVERRIDE answer it): its facts, the
/// rule result of those facts with each category's legal basis, the category in force and the
/// flags that ask a person to look.
struct CaseResource: Encodable, Sendable {
    let record: CaseRecord

    init(_ record: CaseRecord) { self.record = record }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: ResourceKey.self)
        try Self.encode(record, into: &out)
    }

    static func encode(_ record: CaseRecord, into out: inout KeyedEncodingContainer<ResourceKey>) throws {
        try out.encode(record.id, forKey: "case")
        try out.encode(record.ref, forKey: "ref")
        try out.encode(record.version, forKey: "version")
        try out.encode(record.caseworker, forKey: "caseworker")
        try out.encode(EmbeddedJSON(parsing: record.facts.canonicalJSON), forKey: "facts")
        try out.encode(EmbeddedJSON(parsing: record.classificationJSON), forKey: "classification")
        try out.encode(record.primaryCategory, forKey: "primary")
        try out.encode(record.overridden, forKey: "overridden")
        try out.encode(record.rulePrimaryCategory, forKey: "rule_primary")
        try out.encode(record.review, forKey: "review")
        try out.encode(record.overrideDiffersFromRule, forKey: "override_differs_from_rule")
        try out.encode(record.createdAt, forKey: "created_at")
        try out.encode(record.updatedAt, forKey: "updated_at")
    }

    static let categories = CaseFactsSchema.categories + [MovementCategory.unclassifiedID]

    static let fields: [(String, JSONSchema)] = [
        ("case", .integer(description: "the case id", minimum: 1)),
        ("ref", .string()),
        ("version", .integer(description: "also the ETag: \"v<version>\"; send it in If-Match to change", minimum: 1)),
        ("caseworker", .string(description: "who opened the case")),
        ("facts", CaseFactsSchema.newCase),
        ("classification", CaseFactsSchema.classification),
        (
            "primary",
            .string(description: "the category in force: the rule's, or a supervisor's override", choices: categories)
        ),
        ("overridden", .boolean(description: "a supervisor's override is in force")),
        ("rule_primary", .string(description: "the rule result's primary category", choices: categories)),
        ("review", .boolean(description: "the classification needs a person's review (contract section 3.6)")),
        (
            "override_differs_from_rule",
            .boolean(
                description: "an override is in force and the rules now say otherwise: a supervisor should look again")
        ),
        ("created_at", .string(format: "date-time")), ("updated_at", .string(format: "date-time")),
    ]

    static let schema = JSONSchema.object(fields, required: fields.map(\.0))
}

/// The whole case file (CASE SHOW): the case, how its classification came to be, its needs and
/// the referrals made for them.
struct CaseFileResource: Encodable, Sendable {
    let file: CaseFile

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: ResourceKey.self)
        try CaseResource.encode(file.record, into: &out)
        var history = out.nestedUnkeyedContainer(forKey: "history")
        for entry in file.history {
            var item = history.nestedContainer(keyedBy: ResourceKey.self)
            try item.encode(entry.caseVersion, forKey: "case_version")
            try item.encode(entry.source.rawValue, forKey: "source")
            try item.encode(entry.classifierVersion, forKey: "classifier_version")
            try item.encode(entry.primaryCategory, forKey: "primary")
            try item.encode(entry.resultJSON.map(EmbeddedJSON.init(parsing:)), forKey: "result")
            try item.encode(entry.reason, forKey: "reason")
            try item.encode(entry.decidedBy, forKey: "decided_by")
            try item.encode(entry.decidedAt, forKey: "decided_at")
        }
        try out.encode(file.needs.map(NeedResource.init), forKey: "needs")
        try out.encode(file.referrals.map { ReferralResource(view: $0, events: nil) }, forKey: "referrals")
    }

    static let historySchema = JSONSchema.object(
        [
            ("case_version", .integer(minimum: 1)),
            (
                "source",
                .string(description: "a rule result or a supervisor's override", choices: ["rule", "override"])
            ),
            ("classifier_version", .nullable(.string(description: "the rules that decided (passage-classifier/2)"))),
            ("primary", .string(choices: CaseResource.categories)),
            ("result", .nullable(CaseFactsSchema.classification)),
            ("reason", .nullable(.string(description: "an override's reason"))),
            ("decided_by", .string()), ("decided_at", .string(format: "date-time")),
        ],
        required: [
            "case_version", "source", "classifier_version", "primary", "result", "reason", "decided_by", "decided_at",
        ])

    static let schema = JSONSchema.object(
        CaseResource.fields + [
            ("history", .array(of: historySchema, description: "oldest first")),
            ("needs", .array(of: NeedResource.schema)),
            ("referrals", .array(of: ReferralResource.schema, description: "the referrals made for the case's needs")),
        ], required: CaseResource.fields.map(\.0) + ["history", "needs", "referrals"])
}

/// A row of CASE LIST: enough to pick a case, no facts.
struct CaseSummaryResource: Encodable, Sendable {
    let id: Int64
    let ref: String
    let version: Int
    let primary: String
    let review: Bool
    let updatedAt: Date

    init(_ summary: CaseSummary) {
        id = summary.id
        ref = summary.ref
        version = summary.version
        primary = summary.primaryCategory
        review = summary.review
        updatedAt = summary.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id = "case"
        case ref, version, primary, review
        case updatedAt = "updated_at"
    }

    static let schema = JSONSchema.object(
        [
            ("case", .integer(minimum: 1)), ("ref", .string()), ("version", .integer(minimum: 1)),
            ("primary", .string(description: "the category in force", choices: CaseResource.categories)),
            ("review", .boolean(description: "the classification needs a person's review")),
            ("updated_at", .string(format: "date-time")),
        ], required: ["case", "ref", "version", "primary", "review", "updated_at"])
}

/// `POST /v1/cases/{case}/override`: CASE OVERRIDE's inputs.
struct OverrideBody: Decodable, Sendable {
    let category: String
    let reason: String

    static let schema = JSONSchema.object(
        [
            ("category", CaseFactsSchema.choices(MovementCategory.self, "the primary category to record")),
            (
                "reason",
                .string(description: "why the rule result is overridden (kept in the history)", maxLength: 2000)
            ),
        ], required: ["category", "reason"])

    var movementCategory: MovementCategory {
        get throws(Problem) {
            guard let value = MovementCategory(rawValue: category) else {
                throw Problem.badArgument(
                    "category", "must be one of " + MovementCategory.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }
    }
}
