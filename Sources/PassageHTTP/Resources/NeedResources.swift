import Foundation
import PassageCore
import PassageServices

/// A protection need of a case (NEED LIST's row; NEED ADD and NEED SET answer it as it now
/// stands). `version` is also its ETag.
struct NeedResource: Encodable, Sendable {
    let need: NeedRecord

    init(_ need: NeedRecord) { self.need = need }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: ResourceKey.self)
        try out.encode(need.id, forKey: "need")
        try out.encode(need.caseID, forKey: "case")
        try out.encode(need.code, forKey: "code")
        try out.encode(need.meaning, forKey: "meaning")
        try out.encode(need.dimension, forKey: "dimension")
        try out.encode(need.priority, forKey: "priority")
        try out.encode(need.status.rawValue, forKey: "status")
        try out.encode(need.version, forKey: "version")
        try out.encode(need.identifiedBy, forKey: "identified_by")
        try out.encode(need.identifiedAt, forKey: "identified_at")
        try out.encode(need.note, forKey: "note")
        try out.encode(need.updatedAt, forKey: "updated_at")
    }

    static let schema = JSONSchema.object(
        [
            ("need", .integer(minimum: 1)), ("case", .integer(minimum: 1)),
            ("code", .string(description: "UNHCR specific-needs code (LP, SV-VA)")),
            ("meaning", .string(description: "what the code means")),
            ("dimension", .string(description: "the human-security dimension of the code")),
            ("priority", .string(choices: Priority.allCases.map(\.rawValue))),
            ("status", .string(choices: NeedStatus.allCases.map(\.rawValue))),
            ("version", .integer(description: "also the ETag: \"v<version>\"", minimum: 1)),
            ("identified_by", .string()), ("identified_at", .string(format: "date-time")),
            ("note", .nullable(.string())), ("updated_at", .string(format: "date-time")),
        ],
        required: [
            "need", "case", "code", "meaning", "dimension", "priority", "status", "version", "identified_by",
            "identified_at", "note", "updated_at",
        ])
}

/// `POST /v1/cases/{case}/needs`: NEED ADD's inputs.
struct NewNeedBody: Decodable, Sendable {
    let code: String
    let priority: String?
    let note: String?

    static let schema = JSONSchema.object(
        [
            ("code", .string(description: "UNHCR specific-needs code: LP, SM, SV-VA …", maxLength: 16)),
            (
                "priority",
                .string(
                    description:
                        "emergency (24 h), urgent (72 h) or normal (2 weeks; the default): a referral's by default",
                    choices: Priority.allCases.map(\.rawValue))
            ),
            ("note", .string(description: "free text", maxLength: 2000)),
        ], required: ["code"])

    /// The use case's input; the code and note are the service's to check (it names them).
    func newNeed(caseID: Int64) throws(Problem) -> NewNeed {
        guard !code.isEmpty, code.count <= 16 else { throw Problem.badArgument("code", "must be 1 to 16 characters") }
        var level = Priority.normal
        if let priority {
            guard let chosen = Priority(rawValue: priority) else {
                throw Problem.badArgument(
                    "priority", "must be one of " + Priority.allCases.map(\.rawValue).joined(separator: ", "))
            }
            level = chosen
        }
        return NewNeed(caseID: caseID, code: code, priority: level, note: note)
    }
}

/// `PATCH /v1/needs/{need}`: NEED SET's input, the status to move to.
struct NeedStatusBody: Decodable, Sendable {
    let status: String

    static let schema = JSONSchema.object(
        [
            (
                "status",
                .string(
                    description: "met or withdrawn, or open to reopen", choices: NeedStatus.allCases.map(\.rawValue))
            )
        ], required: ["status"])

    var needStatus: NeedStatus {
        get throws(Problem) {
            guard let value = NeedStatus(rawValue: status) else {
                throw Problem.badArgument(
                    "status", "must be one of " + NeedStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }
    }
}
