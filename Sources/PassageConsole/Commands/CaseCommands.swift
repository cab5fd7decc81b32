import PassageCore
import PassageServices

/// `CASE NEW|SHOW|SET|OVERRIDE|LIST`: a case's facts, classification, needs and referrals
/// (CaseService; each runs in the caseworker's organisation and is audited in its transaction).
enum CaseCommands {
    static let declarations: [CommandSpec] = [new, show, set, override, list, close, reopen]

    static let new = CommandSpec(
        "CASE NEW", access: .roles(UseCase.openCase.roles), facts: .required,
        summary: "open a case from facts; replies with its id, version and primary category",
        quick: true
    ) { services, invocation, session in
        let facts = try enteredFacts(invocation, missing: "facts are required: a JSON object or key=value pairs")
        return .ok(identity(of: try await services.cases.open(facts, by: invocation.actor(session))))
    }

    static let show = CommandSpec(
        "CASE SHOW", access: .roles(UseCase.showCase.roles), positional: [Arguments.id("case", "case id")],
        summary: "facts, classification with basis, needs and referrals of a case",
        quick: true
    ) { services, invocation, session in
        let file = try await services.cases.file(of: Int64(try invocation.int("case")), by: invocation.actor(session))
        let record = file.record
        return .data(
            .lines("case \(record.id)", lines(of: file)), message: "case \(record.id)", fields: identity(of: record))
    }

    static let set = CommandSpec(
        "CASE SET", access: .roles(UseCase.changeCase.roles), positional: [Arguments.id("case", "case id")],
        named: [
            ArgumentSpec(
                "version", .integer(1...Int(Int32.max)),
                help: "the version you last saw; a stale one is refused (551)")
        ],
        facts: .required, summary: "change facts of a case and reclassify it", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("case"))
        let version = try invocation.int("version")
        let facts = try enteredFacts(
            invocation, missing: "facts to change are required: a JSON object or key=value pairs")
        return .ok(
            identity(
                of: try await services.cases.change(
                    id, expectedVersion: version, facts: facts, by: invocation.actor(session))))
    }

    static let override = CommandSpec(
        "CASE OVERRIDE", access: .roles(UseCase.overrideCategory.roles),
        positional: [
            Arguments.id("case", "case id"),
            ArgumentSpec("category", .choice(ConsoleVocabulary.categories), help: "the primary category to record"),
        ],
        named: [ArgumentSpec("reason", .text(maxLength: 2000), help: "why the rule result is overridden")],
        summary: "override the classification; the rule result stays in history",
        quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("case"))
        let category = try invocation.choice(MovementCategory.self, "category")
        let record = try await services.cases.override(
            id, category: category, reason: try invocation.text("reason"), by: invocation.actor(session))
        return .ok(identity(of: record))
    }

    static let list = CommandSpec(
        "CASE LIST", access: .roles(UseCase.listCases.roles),
        positional: [.optional("review", .choice(["review"]), help: "only cases whose classification needs review")],
        named: [
            .optional("category", .choice(ConsoleVocabulary.categories), help: "only this primary category"),
            .optional("after", .id, help: "cases with a larger id (paging)"),
            .optional("limit", .integer(1...1000), default: .int(50), help: "at most this many"),
        ],
        summary: "list your organisation's cases"
    ) { services, invocation, session in
        let filter = CaseFilter(
            category: try invocation.optionalChoice(MovementCategory.self, "category"),
            reviewOnly: invocation.optionalText("review") != nil,
            after: invocation.optionalInt("after").map(Int64.init), limit: invocation.optionalInt("limit") ?? 50)
        let summaries = try await services.cases.list(filter, by: invocation.actor(session))
        let rows: [[ReplyValue]] = summaries.map {
            [
                .int(Int($0.id)), .string($0.ref), .int($0.version), .string($0.primaryCategory), .bool($0.review),
                .string(ConsoleTime.text($0.updatedAt)),
            ]
        }
        return .data(.table("cases", columns: ["case", "ref", "version", "primary", "review", "updated"], rows: rows))
    }

    static let close = CommandSpec(
        "CASE CLOSE", access: .roles(UseCase.closeCase.roles),
        positional: [
            Arguments.id("case", "case id"),
            ArgumentSpec("reason", .choice(of: ClosureReason.self), help: "why the case closes"),
            .optional(
                "carry-forward", .choice(["carry-forward"]),
                help: "keep open needs open on the closed case (they reopen with it)"),
        ],
        summary: "close a case with a reason; refused while referrals (or, without carry-forward, needs) are open",
        quick: true
    ) { services, invocation, session in
        let closure = try await services.cases.close(
            Int64(try invocation.int("case")), reason: try invocation.choice(ClosureReason.self, "reason"),
            carryForward: invocation.optionalText("carry-forward") != nil, by: invocation.actor(session))
        return .ok(
            [
                ReplyField("case", .int(Int(closure.caseID))), ReplyField("status", .string("closed")),
                ReplyField("reason", .string(closure.reason?.rawValue ?? "")),
                ReplyField("carried_forward", .int(closure.carriedForward.count)),
            ])
    }

    static let reopen = CommandSpec(
        "CASE REOPEN", access: .roles(UseCase.reopenCase.roles), positional: [Arguments.id("case", "case id")],
        summary: "reopen a closed case (a supervisor); it can be changed again", quick: true
    ) { services, invocation, session in
        let closure = try await services.cases.reopen(Int64(try invocation.int("case")), by: invocation.actor(session))
        return .ok([ReplyField("case", .int(Int(closure.caseID))), ReplyField("status", .string("open"))])
    }

    /// What `CASE NEW`, `SET` and `OVERRIDE` reply with: the case as it now stands.
    static func identity(of record: CaseRecord) -> [ReplyField] {
        [
            ReplyField("case", .int(Int(record.id))), ReplyField("version", .int(record.version)),
            ReplyField("primary", .string(record.primaryCategory)),
        ]
    }

    /// `CASE SHOW`'s lines: facts, classification, the category in force, then history, needs and referrals.
    static func lines(of file: CaseFile) -> [String] {
        let record = file.record
        var lines = [
            "facts: " + record.facts.canonicalJSON,
            "classification: " + record.classificationJSON,
            "in force: " + record.primaryCategory + (record.overridden ? " (supervisor override)" : " (rule result)")
                + (record.overrideDiffersFromRule
                    ? "; the rule result is now \(record.rulePrimaryCategory): a supervisor should look again" : ""),
        ]
        for entry in file.history {
            let what =
                entry.source == .rule
                ? "rule \(entry.classifierVersion ?? "?") → \(entry.primaryCategory)"
                : "override → \(entry.primaryCategory): \(entry.reason ?? "")"
            lines.append(
                "history: v\(entry.caseVersion) \(ConsoleTime.text(entry.decidedAt)) \(entry.decidedBy) \(what)")
        }
        for closure in file.closures {
            var line = "closure: \(ConsoleTime.text(closure.at)) \(closure.decidedBy) (\(closure.decidedRole)) \(closure.event.rawValue)"
            if let reason = closure.reason { line += " \(reason.rawValue)" }
            if !closure.carriedForward.isEmpty {
                line += "; carried forward needs " + closure.carriedForward.map(String.init).joined(separator: ",")
            }
            lines.append(line)
        }
        for need in file.needs {
            lines.append(
                "need: \(need.id) \(need.code) (\(need.meaning)) \(need.priority) \(need.status.rawValue) v\(need.version)"
                    + " identified \(ConsoleTime.text(need.identifiedAt)) by \(need.identifiedBy)"
                    + (need.note.map { ": \($0)" } ?? ""))
        }
        for referral in file.referrals {
            var status = referral.state.status.rawValue
            if let outcome = referral.state.outcome { status += " " + outcome }
            if let reason = referral.state.reason { status += " (\(reason))" }
            lines.append(
                "referral: \(referral.id) need \(referral.needID) \(referral.needCode) → \(referral.providerName) (\(referral.service))"
                    + " \(referral.priority) \(status) v\(referral.version) due \(ConsoleTime.text(referral.dueAt))"
                    + (referral.overdue ? " OVERDUE" : ""))
        }
        return lines
    }

    /// The facts part of the line, as the services take it; the table requires one, so `missing`
    /// is said only to a table that forgot to.
    static func enteredFacts(_ invocation: Invocation, missing: String) throws(ConsoleError) -> EnteredFacts {
        switch invocation.facts {
        case .json(let text)?: .json(text)
        case .pairs(let pairs)?: .pairs(pairs.map { EnteredFact(key: $0.key, value: $0.value) })
        case nil: throw .badArgument(argument: "facts", message: missing)
        }
    }
}
