import Foundation
import PassageCore
import PassageServices

/// `POST /v1/referrals`: REFER's inputs. The idempotency key travels in the `Idempotency-Key`
/// header, not here.
struct ReferralOrderBody: Decodable, Sendable {
    let caseID: Int64
    let needID: Int64
    let providerID: Int64
    let consent: Bool
    let priority: String?
    let caregiverInformed: Bool?
    let service: String?
    let override: String?
    let note: String?

    enum CodingKeys: String, CodingKey {
        case caseID = "case"
        case needID = "need"
        case providerID = "provider"
        case consent, priority
        // The console's name, which the eligibility rules' refusals name too.
        case caregiverInformed = "caregiver"
        case service, override, note
    }

    static let schema = JSONSchema.object(
        [
            ("case", .integer(description: "case id (your organisation's)", minimum: 1)),
            ("need", .integer(description: "need id of that case", minimum: 1)),
            ("provider", .integer(description: "provider id (GET /v1/providers)", minimum: 1)),
            (
                "consent",
                .boolean(description: "the person consented to sharing; false needs a supervisor's override")
            ),
            (
                "priority",
                .string(
                    description: "emergency (24 h), urgent (72 h) or normal (2 weeks); default: the need's priority",
                    choices: Priority.allCases.map(\.rawValue))
            ),
            (
                "caregiver",
                .boolean(description: "whether the caregiver was informed (required for a person under 18)")
            ),
            (
                "service",
                .string(
                    description: "which of the provider's services (default: the first serving the need)",
                    choices: ServiceType.allCases.map(\.rawValue))
            ),
            (
                "override",
                .string(
                    description:
                        "supervisor only, with consent false: why the referral must go without consent (audited)",
                    maxLength: 2000)
            ),
            ("note", .string(description: "free text", maxLength: 2000)),
        ], required: ["case", "need", "provider", "consent"])

    /// The use case's input, every value checked (400 naming it).
    func newReferral(idempotencyKey: String?) throws(Problem) -> NewReferral {
        NewReferral(
            caseID: try Self.positive(caseID, "case"), needID: try Self.positive(needID, "need"),
            providerID: try Self.positive(providerID, "provider"),
            priority: try ReferralChoice.value(priority, "priority", as: Priority.self), consented: consent,
            override: try ReferralChoice.text(override, "override", maxLength: 2000),
            caregiverInformed: caregiverInformed,
            service: try ReferralChoice.value(service, "service", as: ServiceType.self),
            idempotencyKey: idempotencyKey, note: try ReferralChoice.text(note, "note", maxLength: 2000))
    }

    private static func positive(_ id: Int64, _ name: String) throws(Problem) -> Int64 {
        guard id > 0 else { throw Problem.badArgument(name, "must be a positive whole number") }
        return id
    }
}

/// `PATCH /v1/referrals/{referral}`: REFERRAL SET's inputs. A move along the lifecycle, not a
/// merge patch: these four fields and no others.
struct ReferralMoveBody: Decodable, Sendable {
    let status: String
    let outcome: String?
    let reason: String?
    let note: String?

    /// The statuses a referral can be moved to (pending is only where it starts).
    static let targets = ReferralStatus.allCases.filter { $0 != .pending }.map(\.rawValue)

    static let schema = JSONSchema.object(
        [
            (
                "status",
                .string(
                    description: "receiving side: accepted, declined, completed; referring side: cancelled",
                    choices: targets)
            ),
            (
                "outcome",
                .string(description: "with completed", choices: ["successful", "unsuccessful"])
            ),
            (
                "reason",
                .string(
                    description: "reason code: with declined, cancelled and an unsuccessful completion",
                    maxLength: 64)
            ),
            ("note", .string(description: "free text", maxLength: 2000)),
        ], required: ["status"])

    func change(referral: Int64, expectedVersion: Int) throws(Problem) -> ReferralChange {
        guard let target = ReferralStatus(rawValue: status), target != .pending else {
            throw Problem.badArgument("status", "must be one of " + Self.targets.joined(separator: ", "))
        }
        if let outcome, outcome != "successful", outcome != "unsuccessful" {
            throw Problem.badArgument("outcome", "must be successful or unsuccessful")
        }
        return ReferralChange(
            referral: referral, status: target, outcome: outcome,
            reason: try ReferralChoice.text(reason, "reason", maxLength: 64), expectedVersion: expectedVersion,
            note: try ReferralChoice.text(note, "note", maxLength: 2000))
    }
}

/// Checks of optional body values shared by the referral bodies.
enum ReferralChoice {
    static func value<T: RawRepresentable & CaseIterable>(_ text: String?, _ name: String, as type: T.Type)
        throws(Problem) -> T? where T.RawValue == String
    {
        guard let text else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem.badArgument(name, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    static func text(_ text: String?, _ name: String, maxLength: Int) throws(Problem) -> String? {
        guard let text else { return nil }
        guard text.count <= maxLength else {
            throw Problem.badArgument(name, "must be at most \(maxLength) characters")
        }
        return text
    }
}

/// What `POST /v1/referrals` answers: the referral made (or, for a repeated idempotency key,
/// the one the first request made, as it stands now).
struct ReferralMadeResource: Encodable, Sendable {
    let referral: Int64
    let status: String
    let priority: String
    let dueAt: Date
    let version: Int

    enum CodingKeys: String, CodingKey {
        case referral, status, priority
        case dueAt = "due_at"
        case version
    }

    init(_ made: ReferralMade) {
        referral = made.id
        status = made.status.rawValue
        priority = made.priority
        dueAt = made.dueAt
        version = made.version
    }

    static let schema = JSONSchema.object(
        [
            ("referral", .integer(minimum: 1)), ("status", .string(choices: ReferralStatus.allCases.map(\.rawValue))),
            ("priority", .string(choices: Priority.allCases.map(\.rawValue))),
            ("due_at", .string(description: "when the provider must have answered", format: "date-time")),
            ("version", .integer(minimum: 1)),
        ], required: ["referral", "status", "priority", "due_at", "version"])
}

/// What `PATCH /v1/referrals/{referral}` answers: where the referral moved from and to.
struct ReferralMovedResource: Encodable, Sendable {
    let referral: Int64
    let from: String
    let status: String
    let outcome: String?
    let reason: String?
    let version: Int

    init(_ moved: ReferralMoved) {
        referral = moved.id
        from = moved.from.rawValue
        status = moved.state.status.rawValue
        outcome = moved.state.outcome
        reason = moved.state.reason
        version = moved.version
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ReferralResource.Key.self)
        try container.encode(referral, forKey: "referral")
        try container.encode(from, forKey: "from")
        try container.encode(status, forKey: "status")
        try container.encode(outcome, forKey: "outcome")
        try container.encode(reason, forKey: "reason")
        try container.encode(version, forKey: "version")
    }

    static let schema = JSONSchema.object(
        [
            ("referral", .integer(minimum: 1)), ("from", .string(choices: ReferralStatus.allCases.map(\.rawValue))),
            ("status", .string(choices: ReferralStatus.allCases.map(\.rawValue))),
            ("outcome", .nullable(.string(choices: ["successful", "unsuccessful"]))),
            ("reason", .nullable(.string())), ("version", .integer(minimum: 1)),
        ], required: ["referral", "from", "status", "outcome", "reason", "version"])
}

/// A referral as the caller's side sees it (REFERRAL LIST's row, REFERRAL SHOW's view): the
/// receiving side never learns the case id (`case` null); contact details appear only while the
/// referral is open and the person consented (REFERRAL SHOW only).
struct ReferralResource: Encodable, Sendable {
    let view: ReferralView
    /// Present on `GET /v1/referrals/{referral}` only.
    let events: [ReferralEventEntry]?

    struct Key: CodingKey, ExpressibleByStringLiteral {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init(stringLiteral value: String) { self.stringValue = value }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Key.self)
        try out.encode(view.id, forKey: "referral")
        try out.encode(view.caseID, forKey: "case")
        try out.encode(view.needID, forKey: "need")
        try out.encode(view.needCode, forKey: "need_code")
        try out.encode(view.providerID, forKey: "provider")
        try out.encode(view.providerName, forKey: "provider_name")
        try out.encode(view.referringOrganisation, forKey: "referring_organisation")
        try out.encode(ReferralSide.allCases.filter(view.sides.contains).map(\.rawValue), forKey: "sides")
        try out.encode(view.service, forKey: "service")
        try out.encode(view.priority, forKey: "priority")
        try out.encode(view.state.status.rawValue, forKey: "status")
        try out.encode(view.state.outcome, forKey: "outcome")
        try out.encode(view.state.reason, forKey: "reason")
        try out.encode(view.createdBy, forKey: "created_by")
        try out.encode(view.createdAt, forKey: "created_at")
        try out.encode(view.dueAt, forKey: "due_at")
        try out.encode(view.overdue, forKey: "overdue")
        try out.encode(view.version, forKey: "version")
        var consent = out.nestedContainer(keyedBy: Key.self, forKey: "consent")
        try consent.encode(view.consent, forKey: "given")
        try consent.encode(view.consentOverrideBy, forKey: "override_by")
        try consent.encode(view.consentOverrideReason, forKey: "override_reason")
        try out.encode(view.caregiverInformed, forKey: "caregiver_informed")
        var person = out.nestedContainer(keyedBy: Key.self, forKey: "person")
        try person.encode(view.ageBand, forKey: "age_band")
        try person.encode(view.sex, forKey: "sex")
        try person.encode(view.language, forKey: "language")
        if let contact = view.contact {
            var shared = out.nestedContainer(keyedBy: Key.self, forKey: "contact")
            try shared.encode(contact.names, forKey: "names")
            try shared.encode(contact.phone, forKey: "phone")
        } else {
            try out.encodeNil(forKey: "contact")
        }
        guard let events else { return }
        var list = out.nestedUnkeyedContainer(forKey: "events")
        for event in events {
            var entry = list.nestedContainer(keyedBy: Key.self)
            try entry.encode(event.id, forKey: "event")
            try entry.encode(event.at, forKey: "at")
            try entry.encode(event.actor, forKey: "actor")
            try entry.encode(event.record.from?.rawValue, forKey: "from")
            try entry.encode(event.record.to.rawValue, forKey: "to")
            try entry.encode(event.record.outcome, forKey: "outcome")
            try entry.encode(event.record.reason, forKey: "reason")
            try entry.encode(event.note, forKey: "note")
        }
    }

    static let statuses = ReferralStatus.allCases.map(\.rawValue)

    static let eventSchema = JSONSchema.object(
        [
            ("event", .integer(minimum: 1)), ("at", .string(format: "date-time")), ("actor", .string()),
            ("from", .nullable(.string(description: "null for the referral's creation", choices: statuses))),
            ("to", .string(choices: statuses)), ("outcome", .nullable(.string())), ("reason", .nullable(.string())),
            ("note", .nullable(.string())),
        ], required: ["event", "at", "actor", "from", "to", "outcome", "reason", "note"])

    static let fields: [(String, JSONSchema)] = [
        ("referral", .integer(minimum: 1)),
        ("case", .nullable(.integer(description: "null for the receiving side: it never learns the case", minimum: 1))),
        ("need", .integer(minimum: 1)), ("need_code", .string()),
        ("provider", .integer(minimum: 1)), ("provider_name", .string()), ("referring_organisation", .string()),
        (
            "sides",
            .array(
                of: .string(choices: ReferralSide.allCases.map(\.rawValue)),
                description: "the sides your organisation holds: referring (outgoing), receiving (incoming)")
        ),
        ("service", .string()), ("priority", .string(choices: Priority.allCases.map(\.rawValue))),
        ("status", .string(choices: statuses)),
        ("outcome", .nullable(.string(choices: ["successful", "unsuccessful"]))),
        ("reason", .nullable(.string())), ("created_by", .string()), ("created_at", .string(format: "date-time")),
        ("due_at", .string(format: "date-time")),
        ("overdue", .boolean(description: "open (pending or accepted) after its due time")),
        ("version", .integer(minimum: 1)),
        (
            "consent",
            .object(
                [
                    ("given", .boolean()), ("override_by", .nullable(.string())),
                    ("override_reason", .nullable(.string())),
                ], required: ["given", "override_by", "override_reason"],
                description: "the person's consent, or the supervisor's override without it")
        ),
        ("caregiver_informed", .nullable(.boolean())),
        (
            "person",
            .object(
                [
                    ("age_band", .nullable(.string())), ("sex", .nullable(.string())),
                    ("language", .nullable(.string())),
                ], required: ["age_band", "sex", "language"])
        ),
        (
            "contact",
            .nullable(
                .object(
                    [("names", .array(of: .string())), ("phone", .nullable(.string()))], required: ["names", "phone"],
                    description: "shared only with consent while the referral is open, on GET of one referral"))
        ),
    ]

    static let required = fields.map(\.0)

    /// A list item.
    static let schema = JSONSchema.object(fields, required: required)

    /// One referral with its history.
    static let detailSchema = JSONSchema.object(
        fields + [("events", .array(of: eventSchema, description: "oldest first"))], required: required + ["events"])
}
