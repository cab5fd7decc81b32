import Foundation
import PassageCore
import PassageStore
import Postgres

/// `REFER`, `REFERRAL SET|LIST|SHOW`. The referring organisation's caseworkers refer and
/// cancel; the provider organisation's caseworkers accept, decline and complete, and see the
/// case only through the referral. Each runs in one transaction with its event row and audit
/// entry.
struct ReferralHandlers: Sendable {
    let store: StoreCall
    let referrals: ReferralStore

    func refer(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let consent = try Self.consent(invocation, user: user)
        let order = ReferralOrder(
            caseID: Int64(try invocation.int("case")), needID: Int64(try invocation.int("need")),
            providerID: Int64(try invocation.int("provider")), priority: invocation.optionalText("priority"),
            consent: consent, caregiverInformed: try? invocation.bool("caregiver"), service: invocation.optionalText("service"),
            idempotencyKey: invocation.optionalText("key"), note: invocation.optionalText("note"))
        let referrals = self.referrals
        // The store writes the referral's audit entries and commits with its insert (two round
        // trips to PostgreSQL in all). Nil: a concurrent REFER with the same key committed first
        // and this transaction committed nothing; the next attempt finds and returns its referral.
        var made: ReferralMade?
        for _ in 0..<3 where made == nil {
            made = try await store.scoped(user) { connection, organisation in
                try referrals.referCommitting(order, organisation: organisation, actor: user.name, source: session.source, on: connection)
            }
        }
        guard let made else { throw ConsoleError.conflict("idempotency key \(order.idempotencyKey ?? "") is in use; retry") }
        return .ok([ReplyField("referral", .int(Int(made.id))), ReplyField("status", .string(made.status.rawValue)),
                    ReplyField("due", .string(ConsoleTime.text(made.dueAt)))])
    }

    /// The consent gate: consent=yes, or consent=no with a supervisor's `override=` reason.
    static func consent(_ invocation: Invocation, user: SignedInUser) throws(ConsoleError) -> ReferralConsent {
        let consented = try invocation.bool("consent")
        let override = invocation.optionalText("override")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if consented {
            guard override == nil else {
                throw .badArgument(argument: "override", message: "only with consent=no: there is nothing to override when the person consented")
            }
            return .given
        }
        guard let override else {
            throw .consentRequired("consent required: record the person's consent (consent=yes), or a supervisor may refer with override=\"reason\"")
        }
        guard user.role == .supervisor else {
            throw .permissionDenied("only a supervisor may refer without consent")
        }
        guard !override.isEmpty else { throw .badArgument(argument: "override", message: "must give the reason") }
        return .overridden(supervisor: user.name, reason: override)
    }

    func set(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("referral"))
        guard let status = ReferralStatus(rawValue: try invocation.text("status")) else {
            throw ConsoleError.badArgument(argument: "status", message: "expected accepted, declined, completed or cancelled")
        }
        let request: ReferralRequest
        do {
            request = try ReferralRequest(status: status, outcome: invocation.optionalText("outcome"), reason: invocation.optionalText("reason"))
        } catch {
            throw ConsoleError.badArgument(argument: error.argument, message: error.description)
        }
        let version = invocation.optionalInt("version")
        let note = invocation.optionalText("note")
        let referrals = self.referrals
        let moved = try await store.scoped(user) { connection, organisation in
            let moved = try referrals.move(id: id, by: request.event, expectedVersion: version, note: note, organisation: organisation,
                                           actor: user.name, on: connection)
            var detail = "\(moved.from.rawValue) → \(moved.state.status.rawValue)"
            if let outcome = moved.state.outcome { detail += " \(outcome)" }
            if let reason = moved.state.reason { detail += " (\(reason))" }
            try AuditLog.append(actor: user.name, action: .referralMoved(by: request.event), subject: "referral:\(id)",
                                source: session.source, detail: detail, on: connection)
            return moved
        }
        return .ok([ReplyField("referral", .int(Int(moved.id))), ReplyField("status", .string(moved.state.status.rawValue)),
                    ReplyField("version", .int(moved.version))])
    }

    func list(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let filter = ReferralStore.Filter(
            caseID: invocation.optionalInt("case").map(Int64.init),
            status: invocation.optionalText("status").flatMap(ReferralStatus.init(rawValue:)),
            overdueOnly: invocation.optionalText("overdue") != nil,
            after: invocation.optionalInt("after").map(Int64.init), limit: invocation.optionalInt("limit") ?? 100)
        let referrals = self.referrals
        let list = try await store.scoped(user) { connection, organisation in
            let list = try referrals.list(filter, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .referralList, subject: "organisation:\(user.organisation)",
                                source: session.source, detail: "\(list.count) referrals", on: connection)
            return list
        }
        return .data(.table("referrals", columns: Self.listColumns, rows: list.map(Self.row)))
    }

    func show(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("referral"))
        let referrals = self.referrals
        let (view, events) = try await store.scoped(user) { connection, organisation in
            let shown = try referrals.show(id: id, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .referralRead, subject: "referral:\(id)", source: session.source,
                                detail: shown.0.contact == nil ? "" : "contact details shown", on: connection)
            return shown
        }
        return .data(.lines("referral \(id)", Self.lines(view, events)),
                     message: "referral \(id)",
                     fields: [ReplyField("referral", .int(Int(id))), ReplyField("status", .string(view.state.status.rawValue)),
                              ReplyField("version", .int(view.version))])
    }

    static let listColumns = ["referral", "case", "need", "code", "provider", "service", "priority", "status", "due", "overdue", "version"]

    static func row(_ view: ReferralView) -> [ReplyValue] {
        [.int(Int(view.id)), view.caseID.map { .int(Int($0)) } ?? .null, .int(Int(view.needID)), .string(view.needCode),
         .string(view.providerName), .string(view.service), .string(view.priority), .string(view.state.status.rawValue),
         .string(ConsoleTime.text(view.dueAt)), .bool(view.overdue), .int(view.version)]
    }

    /// REFERRAL SHOW's lines: the referral view, then its history, then the history replayed
    /// through the lifecycle (which must land on the stored state).
    static func lines(_ view: ReferralView, _ events: [ReferralEventEntry]) -> [String] {
        var status = view.state.status.rawValue
        if let outcome = view.state.outcome { status += " " + outcome }
        if let reason = view.state.reason { status += " (\(reason))" }
        var lines = [
            "status: \(status)" + (view.overdue ? " — OVERDUE" : ""),
            "from: \(view.referringOrganisation) (\(view.createdBy))" + (view.caseID.map { ", case \($0)" } ?? ""),
            "to: \(view.providerName) (provider \(view.providerID)), service \(view.service)",
            "need: \(view.needCode) (need \(view.needID)), priority \(view.priority), due \(ConsoleTime.text(view.dueAt))",
            "person: age band \(view.ageBand ?? "unknown"), sex \(view.sex ?? "unknown")" + (view.language.map { ", language \($0)" } ?? ""),
        ]
        if view.consent {
            lines.append("consent: yes")
        } else {
            lines.append("consent: no — overridden by \(view.consentOverrideBy ?? "?"): \(view.consentOverrideReason ?? "")")
        }
        if let contact = view.contact {
            lines.append("contact: \(contact.names.joined(separator: "; "))" + (contact.phone.map { ", phone \($0)" } ?? ""))
        } else {
            // Shared only while the referral is open, as recorded when consent was given.
            let open = view.state.status == .pending || view.state.status == .accepted
            lines.append(!view.consent ? "contact: withheld (no consent)"
                         : open ? "contact: none recorded" : "contact: no longer shared (referral \(view.state.status.rawValue))")
        }
        lines.append("caregiver informed: " + (view.caregiverInformed.map { $0 ? "yes" : "no" } ?? "not recorded"))
        for event in events {
            var text = "event: \(ConsoleTime.text(event.at)) \(event.actor) \(event.record.from?.rawValue ?? "created") → \(event.record.to.rawValue)"
            if let outcome = event.record.outcome { text += " \(outcome)" }
            if let reason = event.record.reason { text += " reason \(reason)" }
            if let note = event.note { text += ": \(note)" }
            lines.append(text)
        }
        do {
            let replayed = try ReferralReplay.state(after: events.map(\.record))
            lines.append(replayed == view.state ? "history: replays to \(replayed.status.rawValue), as stored"
                                                : "history: replays to \(replayed.status.rawValue), but \(view.state.status.rawValue) is stored")
        } catch {
            lines.append("history: does not replay: \(error.description)")
        }
        return lines
    }
}
