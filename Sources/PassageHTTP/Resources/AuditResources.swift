import Foundation
import PassageCore
import PassageServices

/// One audit entry as `GET /v1/audit` shows it (the columns of AUDIT TAIL). Entries reference
/// records by id and code; they hold no personal data.
struct AuditEntryResource: Encodable, Sendable {
    let entry: AuditEntry

    enum Keys: String, CodingKey { case id, at, actor, action, subject, source, detail }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(entry.id, forKey: .id)
        try out.encode(entry.at, forKey: .at)
        try out.encode(entry.actor, forKey: .actor)
        try out.encode(entry.action, forKey: .action)
        try out.encode(entry.subject, forKey: .subject)
        try out.encode(entry.source, forKey: .source)
        try out.encode(entry.detail, forKey: .detail)
    }

    static let schema = JSONSchema.object(
        [
            ("id", .integer(minimum: 1)), ("at", .string(format: "date-time")),
            ("actor", .string(description: "user name, or operator:<os user> for the command line")),
            ("action", .string(description: "what was done, such as case.create, stats.export, access.refused")),
            ("subject", .string(description: "the record concerned, such as case:12 or stats:cases")),
            ("source", .string(description: "the client's address, or cli")), ("detail", .string()),
        ], required: ["id", "at", "actor", "action", "subject", "source", "detail"])
}

/// `GET /v1/audit`: the newest entries, oldest first (a tail, not a paged list).
struct AuditTailResource: Encodable, Sendable {
    let items: [AuditEntryResource]

    static let schema = JSONSchema.object(
        [("items", .array(of: AuditEntryResource.schema, description: "the newest entries, oldest first"))],
        required: ["items"])
}

/// `GET /v1/audit/verification`: the chain holds (a broken one is a 409 problem naming the entry).
struct AuditVerificationResource: Encodable, Sendable {
    let intact: AuditChainIntact

    enum Keys: String, CodingKey { case intact, entries, anchors }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(true, forKey: .intact)
        try out.encode(intact.entries, forKey: .entries)
        try out.encode(intact.anchors, forKey: .anchors)
    }

    static let schema = JSONSchema.object(
        [
            ("intact", .boolean(description: "always true: a broken chain is answered 409")),
            ("entries", .integer(description: "entries in the chain", minimum: 0)),
            (
                "anchors",
                .nullable(
                    .integer(description: "anchors kept outside the database that matched; null when none are kept"))
            ),
        ], required: ["intact", "entries", "anchors"])
}

/// One audited access to a person's record as `GET /v1/cases/{case}/access-report` shows it (the
/// columns of AUDIT PERSON).
struct PersonAccessResource: Encodable, Sendable {
    let access: PersonAccess

    enum Keys: String, CodingKey { case entry, at, user, organisation, action, command, subject, source, detail }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(access.entry, forKey: .entry)
        try out.encode(access.at, forKey: .at)
        try out.encode(access.user, forKey: .user)
        try out.encode(access.organisation, forKey: .organisation)
        try out.encode(access.action, forKey: .action)
        try out.encode(access.command, forKey: .command)
        try out.encode(access.subject, forKey: .subject)
        try out.encode(access.source, forKey: .source)
        try out.encode(access.detail, forKey: .detail)
    }

    static let schema = JSONSchema.object(
        [
            ("entry", .integer(description: "the audit entry's id", minimum: 1)), ("at", .string(format: "date-time")),
            ("user", .string(description: "user name, or operator:<os user> for the command line")),
            (
                "organisation",
                .nullable(.string(description: "the user's organisation now; null for an actor that is no user"))
            ),
            ("action", .string(description: "what was done, such as case.read or person.update")),
            ("command", .string(description: "the command that does it, such as CASE SHOW")),
            ("subject", .string(description: "the record concerned, such as case:12 or referral:3")),
            ("source", .string(description: "the client's address, or cli")), ("detail", .string()),
        ], required: ["entry", "at", "user", "organisation", "action", "command", "subject", "source", "detail"])
}

/// `GET /v1/cases/{case}/access-report`: every audited access to the person's record, oldest first
/// (the whole report: a data-protection officer's answer is not paged).
struct PersonAccessReportResource: Encodable, Sendable {
    let items: [PersonAccessResource]

    static let schema = JSONSchema.object(
        [("items", .array(of: PersonAccessResource.schema, description: "every audited access, oldest first"))],
        required: ["items"])
}
