import Foundation
import PassageCore

/// `POST /v1/person-merges`: PERSON MERGE's inputs, persons named by a case of each.
struct MergePersonsBody: Decodable, Sendable {
    let caseA: Int64
    let caseB: Int64

    enum CodingKeys: String, CodingKey {
        case caseA = "case_a"
        case caseB = "case_b"
    }

    static let schema = JSONSchema.object(
        [
            ("case_a", .integer(description: "a case of the person who stays", minimum: 1)),
            ("case_b", .integer(description: "a case of the person merged into them", minimum: 1)),
        ], required: ["case_a", "case_b"])
}

/// One merge of two person records.
struct MergeResource: Encodable, Sendable {
    let merge: PersonMerge

    enum CodingKeys: String, CodingKey {
        case id
        case caseA = "case_a"
        case caseB = "case_b"
        case movedCases = "moved_cases"
        case mergedBy = "merged_by"
        case mergedAt = "merged_at"
        case unmergedBy = "unmerged_by"
        case unmergedAt = "unmerged_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(merge.id, forKey: .id)
        try container.encode(merge.survivorCase, forKey: .caseA)
        try container.encode(merge.mergedCase, forKey: .caseB)
        try container.encode(merge.movedCases, forKey: .movedCases)
        try container.encode(merge.mergedBy, forKey: .mergedBy)
        try container.encode(merge.mergedAt, forKey: .mergedAt)
        try container.encode(merge.unmergedBy, forKey: .unmergedBy)
        try container.encode(merge.unmergedAt, forKey: .unmergedAt)
    }

    static let schema = JSONSchema.object(
        [
            ("id", .integer(description: "merge id")),
            ("case_a", .integer(description: "the case the surviving person was named by")),
            ("case_b", .integer(description: "the case the merged-away person was named by")),
            ("moved_cases", .array(of: .integer(), description: "the cases that moved to the surviving person")),
            ("merged_by", .string()),
            ("merged_at", .string(format: "date-time")),
            ("unmerged_by", .nullable(.string())),
            ("unmerged_at", .nullable(.string(format: "date-time"))),
        ],
        required: ["id", "case_a", "case_b", "moved_cases", "merged_by", "merged_at", "unmerged_by", "unmerged_at"])
}

/// A candidate duplicate pair as the caller's organisation sees it: across organisations only
/// the other organisation's name and its decision (and its case once both confirmed), never the
/// other side's person, identifiers or score.
struct DuplicatePairResource: Encodable, Sendable {
    let pair: DuplicatePairView

    enum CodingKeys: String, CodingKey {
        case id, with, score, status
        case caseID = "case"
        case otherCase = "other_case"
        case ourDecision = "our_decision"
        case theirDecision = "their_decision"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pair.id, forKey: .id)
        try container.encode(pair.otherOrganisation, forKey: .with)
        try container.encode(pair.ownCase, forKey: .caseID)
        try container.encode(pair.secondCase ?? pair.linkedCase, forKey: .otherCase)
        try container.encode(pair.score, forKey: .score)
        try container.encode(pair.status.rawValue, forKey: .status)
        try container.encode(pair.ownDecision?.rawValue, forKey: .ourDecision)
        try container.encode(pair.otherDecision?.rawValue, forKey: .theirDecision)
    }

    static let schema = JSONSchema.object(
        [
            ("id", .integer(description: "pair id: the reference both organisations use")),
            ("with", .nullable(.string(description: "the other organisation (null: a pair within yours)"))),
            ("case", .integer(description: "your case")),
            (
                "other_case",
                .nullable(
                    .integer(
                        description:
                            "within your organisation: the other person's case; across: the other organisation's case once both confirmed"
                    ))
            ),
            ("score", .nullable(.number(description: "matching score (within your organisation only)"))),
            ("status", .string(choices: DuplicateStatus.allCases.map(\.rawValue))),
            ("our_decision", .nullable(.string(choices: DuplicateDecision.allCases.map(\.rawValue)))),
            ("their_decision", .nullable(.string(choices: DuplicateDecision.allCases.map(\.rawValue)))),
        ],
        required: [
            "id", "with", "case", "other_case", "score", "status", "our_decision", "their_decision",
        ])
}

/// The duplicate-rate report.
struct DuplicateRateResource: Encodable, Sendable {
    let rate: DuplicateRate

    enum CodingKeys: String, CodingKey {
        case registrations, within, across, merges
        case duplicateRate = "duplicate_rate"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func counts(_ counts: [DuplicateStatus: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: DuplicateStatus.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
        try container.encode(rate.registrations, forKey: .registrations)
        try container.encode(counts(rate.within), forKey: .within)
        try container.encode(counts(rate.across), forKey: .across)
        try container.encode(rate.merges, forKey: .merges)
        try container.encode(rate.duplicateRate, forKey: .duplicateRate)
    }

    static let counts = JSONSchema.object(
        DuplicateStatus.allCases.map { ($0.rawValue, JSONSchema.integer(minimum: 0)) },
        required: DuplicateStatus.allCases.map(\.rawValue))

    static let schema = JSONSchema.object(
        [
            ("registrations", .integer(description: "person records your organisation registered")),
            ("within", counts),
            ("across", counts),
            ("merges", .integer(description: "merges in force")),
            ("duplicate_rate", .number(description: "confirmed duplicates over registrations")),
        ], required: ["registrations", "within", "across", "merges", "duplicate_rate"])
}
