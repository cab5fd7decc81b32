import PassageCore
import PassageServices

/// `REFER`, `REFERRAL SET|LIST|SHOW` (ReferralService). The referring organisation's
/// caseworkers refer and cancel; the provider organisation's caseworkers accept, decline and
/// complete, and see the case only through the referral.
enum ReferralCommands {
    static let declarations: [CommandSpec] = [refer, set, list, show]

    static let refer = CommandSpec(
        "REFER", access: .roles(UseCase.refer.roles),
        positional: [
            Arguments.id("case", "case id"), Arguments.id("need", "need id"),
            Arguments.id("provider", "provider id"),
        ],
        named: [
            ArgumentSpec("consent", .yesNo, help: "the person consented to sharing (no → 553)"),
            .optional(
                "priority", .choice(ConsoleVocabulary.priorities),
                help: "emergency (24 h), urgent (72 h) or normal (2 weeks); default: the need's priority"),
            .optional("key", .text(maxLength: 128), help: "idempotency key: a repeat returns the same referral"),
            .optional(
                "override", .text(maxLength: 2000),
                help: "supervisor only, with consent=no: why the referral must go without consent (audited)"),
            .optional("caregiver", .yesNo, help: "whether the caregiver was informed (required for a person under 18)"),
            .optional(
                "service", .choice(ConsoleVocabulary.services),
                help: "which of the provider's services (default: the first serving the need)"),
            Arguments.note,
        ],
        summary: "refer a need of a case to a provider", quick: true
    ) { services, invocation, session in
        let referral = NewReferral(
            caseID: Int64(try invocation.int("case")), needID: Int64(try invocation.int("need")),
            providerID: Int64(try invocation.int("provider")),
            priority: try invocation.optionalChoice(Priority.self, "priority"),
            consented: try invocation.bool("consent"), override: invocation.optionalText("override"),
            caregiverInformed: try? invocation.bool("caregiver"),
            service: try invocation.optionalChoice(ServiceType.self, "service"),
            idempotencyKey: invocation.optionalText("key"), note: invocation.optionalText("note"))
        let made = try await services.referrals.refer(referral, by: invocation.actor(session))
        return .ok([
            ReplyField("referral", .int(Int(made.id))), ReplyField("status", .string(made.status.rawValue)),
            ReplyField("due", .string(ConsoleTime.text(made.dueAt))),
        ])
    }

    static let set = CommandSpec(
        "REFERRAL SET", access: .roles(UseCase.moveReferral.roles),
        positional: [
            Arguments.id("referral", "referral id"),
            ArgumentSpec(
                "status", .choice(ConsoleVocabulary.referralStatuses),
                help: "receiving side: accepted, declined, completed; referring side: cancelled"),
        ],
        named: [
            .optional("reason", .text(maxLength: 64), help: "reason code (declined, cancelled, unsuccessful)"),
            .optional("outcome", .choice(ConsoleVocabulary.outcomes), help: "with completed"),
            Arguments.note,
            .optional("version", .integer(1...Int(Int32.max)), help: "the version you last saw"),
        ],
        summary: "move a referral along its lifecycle", quick: true
    ) { services, invocation, session in
        let actor = try invocation.actor(session)
        let change = ReferralChange(
            referral: Int64(try invocation.int("referral")),
            status: try invocation.choice(ReferralStatus.self, "status"), outcome: invocation.optionalText("outcome"),
            reason: invocation.optionalText("reason"), expectedVersion: invocation.optionalInt("version"),
            note: invocation.optionalText("note"))
        let moved = try await services.referrals.move(change, by: actor)
        return .ok([
            ReplyField("referral", .int(Int(moved.id))), ReplyField("status", .string(moved.state.status.rawValue)),
            ReplyField("version", .int(moved.version)),
        ])
    }

    static let list = CommandSpec(
        "REFERRAL LIST", access: .roles(UseCase.listReferrals.roles),
        positional: [.optional("overdue", .choice(["overdue"]), help: "only open referrals past their due time")],
        named: [
            .optional("case", .id, help: "only referrals of this case (your organisation's)"),
            .optional("status", .choice(of: ReferralStatus.self), help: "only this status"),
            .optional("after", .id, help: "referrals with a larger id (paging)"),
            .optional("limit", .integer(1...1000), default: .int(100), help: "at most this many"),
        ],
        summary: "referrals your organisation made or received"
    ) { services, invocation, session in
        let filter = ReferralFilter(
            caseID: invocation.optionalInt("case").map(Int64.init),
            status: try invocation.optionalChoice(ReferralStatus.self, "status"),
            overdueOnly: invocation.optionalText("overdue") != nil,
            after: invocation.optionalInt("after").map(Int64.init), limit: invocation.optionalInt("limit") ?? 100)
        let referrals = try await services.referrals.list(filter, by: invocation.actor(session))
        return .data(.table("referrals", columns: listColumns, rows: referrals.map(row)))
    }

    static let show = CommandSpec(
        "REFERRAL SHOW", access: .roles(UseCase.showReferral.roles),
        positional: [Arguments.id("referral", "referral id")],
        summary: "a referral as your side may see it, with its events", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("referral"))
        let detail = try await services.referrals.show(id, by: invocation.actor(session))
        let view = detail.referral
        return .data(
            .lines("referral \(id)", lines(view, detail.events)),
            message: "referral \(id)",
            fields: [
                ReplyField("referral", .int(Int(id))), ReplyField("status", .string(view.state.status.rawValue)),
                ReplyField("version", .int(view.version)),
            ])
    }

    static let listColumns = [
        "referral", "case", "need", "code", "provider", "service", "priority", "status", "due", "overdue", "version",
    ]

    static func row(_ view: ReferralView) -> [ReplyValue] {
        [
            .int(Int(view.id)), view.caseID.map { .int(Int($0)) } ?? .null, .int(Int(view.needID)),
            .string(view.needCode),
            .string(view.providerName), .string(view.service), .string(view.priority),
            .string(view.state.status.rawValue),
            .string(ConsoleTime.text(view.dueAt)), .bool(view.overdue), .int(view.version),
        ]
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
            "person: age band \(view.ageBand ?? "unknown"), sex \(view.sex ?? "unknown")"
                + (view.language.map { ", language \($0)" } ?? ""),
        ]
        if view.consent {
            lines.append("consent: yes")
        } else {
            lines.append(
                "consent: no — overridden by \(view.consentOverrideBy ?? "?"): \(view.consentOverrideReason ?? "")")
        }
        if let contact = view.contact {
            lines.append(
                "contact: \(contact.names.joined(separator: "; "))" + (contact.phone.map { ", phone \($0)" } ?? ""))
        } else {
            // Shared only while the referral is open, as recorded when consent was given.
            let open = view.state.status == .pending || view.state.status == .accepted
            lines.append(
                !view.consent
                    ? "contact: withheld (no consent)"
                    : open
                        ? "contact: none recorded"
                        : "contact: no longer shared (referral \(view.state.status.rawValue))")
        }
        lines.append("caregiver informed: " + (view.caregiverInformed.map { $0 ? "yes" : "no" } ?? "not recorded"))
        for event in events {
            var text =
                "event: \(ConsoleTime.text(event.at)) \(event.actor) \(event.record.from?.rawValue ?? "created") → \(event.record.to.rawValue)"
            if let outcome = event.record.outcome { text += " \(outcome)" }
            if let reason = event.record.reason { text += " reason \(reason)" }
            if let note = event.note { text += ": \(note)" }
            lines.append(text)
        }
        do {
            let replayed = try ReferralReplay.state(after: events.map(\.record))
            lines.append(
                replayed == view.state
                    ? "history: replays to \(replayed.status.rawValue), as stored"
                    : "history: replays to \(replayed.status.rawValue), but \(view.state.status.rawValue) is stored")
        } catch {
            lines.append("history: does not replay: \(error.description)")
        }
        return lines
    }
}
