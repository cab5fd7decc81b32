import Foundation
import PassageCore

/// A choice among `T`'s raw values from a request body, or a 400 naming `argument`.
func transferChoice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ text: String, _ argument: String)
    throws(Problem) -> T where T.RawValue == String
{
    guard let value = T(rawValue: text) else {
        throw Problem.badArgument(argument, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return value
}

/// Checks an organisation name from a body: 1 to 200 characters, as organisations are.
func organisationName(_ text: String, _ argument: String) throws(Problem) -> String {
    guard (1...200).contains(text.count) else { throw Problem.badArgument(argument, "must be 1 to 200 characters") }
    return text
}

/// `POST /v1/cases/{case}/transfers`: TRANSFER PROPOSE's inputs.
struct ProposeTransferBody: Decodable, Sendable {
    let to: String
    let consent: Bool
    let reason: String

    static let schema = JSONSchema.object(
        [
            ("to", .string(description: "the receiving organisation's name", maxLength: 200)),
            ("consent", .boolean(description: "the person consented to the transfer (false → 422 consent required)")),
            ("reason", CaseFactsSchema.choices(TransferReason.self, "why the case moves")),
        ], required: ["to", "consent", "reason"])
}

/// `POST /v1/transfer-requests`: TRANSFER REQUEST's inputs.
struct RequestTransferBody: Decodable, Sendable {
    let caseID: Int64
    let from: String
    let reason: String

    enum CodingKeys: String, CodingKey {
        case caseID = "case"
        case from, reason
    }

    static let schema = JSONSchema.object(
        [
            ("case", .integer(description: "the case's id at the owning organisation", minimum: 1)),
            ("from", .string(description: "the owning organisation's name", maxLength: 200)),
            ("reason", CaseFactsSchema.choices(TransferReason.self, "why the case should move")),
        ], required: ["case", "from", "reason"])
}

/// `POST /v1/transfers/{transfer}/accept`: granting a request records the person's consent.
struct AcceptTransferBody: Decodable, Sendable {
    let consent: Bool?

    static let schema = JSONSchema.object(
        [("consent", .boolean(description: "granting a request: the person consented (required then)"))],
        required: [])
}

/// `POST /v1/transfers/{transfer}/decline` and `/cancel`: why.
struct EndTransferBody: Decodable, Sendable {
    let reason: String?

    static func schema(required: Bool) -> JSONSchema {
        .object(
            [("reason", CaseFactsSchema.choices(TransferEndReason.self, "why (consent_withdrawn when consent was revoked)"))],
            required: required ? ["reason"] : [])
    }
}

/// One transfer as either party sees it.
struct TransferResource: Encodable, Sendable {
    let record: TransferRecord

    enum CodingKeys: String, CodingKey {
        case id, kind, status, from, to, reason, consent
        case caseID = "case"
        case initiatedBy = "initiated_by"
        case initiatedAt = "initiated_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case decisionReason = "decision_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.caseID, forKey: .caseID)
        try container.encode(record.kind.rawValue, forKey: .kind)
        try container.encode(record.status.rawValue, forKey: .status)
        try container.encode(record.from, forKey: .from)
        try container.encode(record.to, forKey: .to)
        try container.encode(record.reason, forKey: .reason)
        try container.encode(record.consent, forKey: .consent)
        try container.encode(record.initiatedBy, forKey: .initiatedBy)
        try container.encode(record.initiatedAt, forKey: .initiatedAt)
        try container.encode(record.decidedBy, forKey: .decidedBy)
        try container.encode(record.decidedAt, forKey: .decidedAt)
        try container.encode(record.decisionReason, forKey: .decisionReason)
    }

    static let schema = JSONSchema.object(
        [
            ("id", .integer(description: "transfer id")),
            ("case", .integer(description: "case id")),
            ("kind", .string(choices: TransferKind.allCases.map(\.rawValue))),
            ("status", .string(choices: TransferStatus.allCases.map(\.rawValue))),
            ("from", .string(description: "the owning organisation when the transfer started")),
            ("to", .string(description: "the receiving organisation")),
            ("reason", .string(description: "transfer reason code")),
            ("consent", .boolean(description: "the person's consent is recorded")),
            ("initiated_by", .string()),
            ("initiated_at", .string(format: "date-time")),
            ("decided_by", .nullable(.string())),
            ("decided_at", .nullable(.string(format: "date-time"))),
            ("decision_reason", .nullable(.string())),
        ],
        required: [
            "id", "case", "kind", "status", "from", "to", "reason", "consent", "initiated_by", "initiated_at",
            "decided_by", "decided_at", "decision_reason",
        ])
}

/// One owner of a case with dates.
struct OwnerResource: Encodable, Sendable {
    let organisation: String
    let since: Date
    let until: Date?

    init(_ owner: CaseOwnership) {
        organisation = owner.organisation
        since = owner.since
        until = owner.until
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(organisation, forKey: .organisation)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
    }

    enum CodingKeys: String, CodingKey { case organisation, since, until }

    static let schema = JSONSchema.object(
        [
            ("organisation", .string()), ("since", .string(format: "date-time")),
            ("until", .nullable(.string(format: "date-time"))),
        ], required: ["organisation", "since", "until"])
}
