import Foundation
import PassageCore
import PassageStore
import Postgres

/// `CASE NEW|SHOW|SET|OVERRIDE|LIST` over the case store. Each runs in one transaction with
/// its audit entry, so a change and the record of who made it commit together.
struct CaseHandlers: Sendable {
    let store: StoreCall
    let cases: CaseStore
    let needs: NeedStore
    let referrals: ReferralStore

    func new(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let facts = try CaseFactsInput.newCase(invocation.facts)
        let cases = self.cases
        let record = try await store.scoped(user) { connection, organisation in
            let record = try cases.create(facts, organisation: organisation, caseworker: user.name, on: connection)
            try AuditLog.append(actor: user.name, action: .caseCreate, subject: "case:\(record.id)", source: session.source, on: connection)
            return record
        }
        return .ok(Self.identity(of: record))
    }

    func show(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("case"))
        let cases = self.cases
        let needs = self.needs
        let referrals = self.referrals
        let (record, history, needList, referralList) = try await store.scoped(user) { connection, organisation in
            let record = try cases.find(id: id, organisation: organisation, on: connection)
            let history = try cases.history(caseID: id, organisation: organisation, on: connection)
            let needList = try needs.list(caseID: id, organisation: organisation, on: connection)
            let referralList = try referrals.list(.init(caseID: id, limit: 1000), organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .caseRead, subject: "case:\(id)", source: session.source, on: connection)
            return (record, history, needList, referralList)
        }
        var lines = [
            "facts: " + record.facts.canonicalJSON,
            "classification: " + record.classificationJSON,
            "in force: " + record.primaryCategory + (record.overridden ? " (supervisor override)" : " (rule result)")
                + (record.overrideDiffersFromRule ? "; the rule result is now \(record.rulePrimaryCategory): a supervisor should look again" : ""),
        ]
        for entry in history {
            let what = entry.source == .rule
                ? "rule \(entry.classifierVersion ?? "?") → \(entry.primaryCategory)"
                : "override → \(entry.primaryCategory): \(entry.reason ?? "")"
            lines.append("history: v\(entry.caseVersion) \(ConsoleTime.text(entry.decidedAt)) \(entry.decidedBy) \(what)")
        }
        for need in needList {
            lines.append("need: \(need.id) \(need.code) (\(need.meaning)) \(need.priority) \(need.status.rawValue) v\(need.version)"
                         + " identified \(ConsoleTime.text(need.identifiedAt)) by \(need.identifiedBy)" + (need.note.map { ": \($0)" } ?? ""))
        }
        for referral in referralList {
            var status = referral.state.status.rawValue
            if let outcome = referral.state.outcome { status += " " + outcome }
            if let reason = referral.state.reason { status += " (\(reason))" }
            lines.append("referral: \(referral.id) need \(referral.needID) \(referral.needCode) → \(referral.providerName) (\(referral.service))"
                         + " \(referral.priority) \(status) v\(referral.version) due \(ConsoleTime.text(referral.dueAt))"
                         + (referral.overdue ? " OVERDUE" : ""))
        }
        return .data(.lines("case \(record.id)", lines), message: "case \(record.id)", fields: Self.identity(of: record))
    }

    func set(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("case"))
        let version = try invocation.int("version")
        let input = invocation.facts
        let cases = self.cases
        let record = try await store.scoped(user) { connection, organisation in
            let current = try cases.find(id: id, organisation: organisation, on: connection)
            let changed = try CaseFactsInput.changes(input, to: current.facts)
            let record = try cases.update(id: id, expectedVersion: version, facts: changed, organisation: organisation,
                                          actor: user.name, on: connection)
            try AuditLog.append(actor: user.name, action: .caseUpdate, subject: "case:\(id)", source: session.source,
                                detail: "version \(record.version)", on: connection)
            return record
        }
        return .ok(Self.identity(of: record))
    }

    func override(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("case"))
        let category = try invocation.text("category")
        let reason = try invocation.text("reason")
        let cases = self.cases
        let record = try await store.scoped(user) { connection, organisation in
            let record = try cases.override(id: id, category: category, reason: reason, organisation: organisation,
                                            supervisor: user.name, on: connection)
            try AuditLog.append(actor: user.name, action: .caseOverride, subject: "case:\(id)", source: session.source,
                                detail: category, on: connection)
            return record
        }
        return .ok(Self.identity(of: record))
    }

    func list(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let category = invocation.optionalText("category")
        let reviewOnly = invocation.optionalText("review") != nil
        let after = invocation.optionalInt("after").map(Int64.init)
        let limit = invocation.optionalInt("limit") ?? 50
        let cases = self.cases
        let summaries = try await store.scoped(user) { connection, organisation in
            let summaries = try cases.list(organisation: organisation, category: category, reviewOnly: reviewOnly, after: after, limit: limit, on: connection)
            try AuditLog.append(actor: user.name, action: .caseList, subject: "organisation:\(user.organisation)",
                                source: session.source, detail: "\(summaries.count) cases", on: connection)
            return summaries
        }
        let rows: [[ReplyValue]] = summaries.map {
            [.int(Int($0.id)), .string($0.ref), .int($0.version), .string($0.primaryCategory), .bool($0.review), .string(ConsoleTime.text($0.updatedAt))]
        }
        return .data(.table("cases", columns: ["case", "ref", "version", "primary", "review", "updated"], rows: rows))
    }

    static func identity(of record: CaseRecord) -> [ReplyField] {
        [ReplyField("case", .int(Int(record.id))), ReplyField("version", .int(record.version)),
         ReplyField("primary", .string(record.primaryCategory))]
    }
}

/// Times in replies: UTC, to the second, ISO 8601 (`2026-11-29T16:45:04Z`, what
/// `date.formatted(.iso8601)` prints). Written from `CivilTime` because Foundation's format style
/// cost about 2 % of the server's CPU per REFER (Docs/performance.md "REFER").
enum ConsoleTime {
    static func text(_ date: Date) -> String {
        let time = CivilTime(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        let pad = CivilTime.padded
        return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))Z"
    }
}
