import Foundation
import PassageCore

/// `POST /v1/cases/{case}/closure`: CASE CLOSE's inputs.
struct ClosureBody: Decodable, Sendable {
    let reason: String
    let carryForward: Bool?

    enum CodingKeys: String, CodingKey {
        case reason
        case carryForward = "carry_forward"
    }

    static let schema = JSONSchema.object(
        [
            ("reason", CaseFactsSchema.choices(ClosureReason.self, "why the case closes")),
            ("carry_forward", .boolean(description: "keep open needs open on the closed case (default false)")),
        ], required: ["reason"])

    var closureReason: ClosureReason {
        get throws(Problem) {
            guard let value = ClosureReason(rawValue: reason) else {
                throw Problem.badArgument(
                    "reason", "must be one of " + ClosureReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }
    }
}

/// A closing or reopening, as the case's life history keeps it.
struct ClosureResource: Encodable, Sendable {
    let caseID: Int64
    let event: String
    let reason: String?
    let carriedForward: [Int64]
    let decidedBy: String
    let at: Date

    init(_ closure: CaseClosure) {
        caseID = closure.caseID
        event = closure.event.rawValue
        reason = closure.reason?.rawValue
        carriedForward = closure.carriedForward
        decidedBy = closure.decidedBy
        at = closure.at
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case"
        case event, reason, at
        case carriedForward = "carried_forward"
        case decidedBy = "decided_by"
    }

    static let schema = JSONSchema.object(
        [
            ("case", .integer(description: "case id")),
            ("event", .string(choices: ["closed", "reopened"])),
            ("reason", .nullable(.string(description: "the closure reason code; null for a reopening"))),
            ("carried_forward", .array(of: .integer(), description: "needs left open on the closed case")),
            ("decided_by", .string(description: "who closed or reopened it")),
            ("at", .string(format: "date-time")),
        ], required: ["case", "event", "reason", "carried_forward", "decided_by", "at"])
}
