import PassageCore
import PassageServices

/// `PERSON MERGE|UNMERGE` and `DUPLICATE LIST|CONFIRM|REJECT|RATE` (DuplicateService,
/// Docs/finding-persons.md): a supervisor merges two person records of the organisation (named
/// by a case of each: the console never shows person ids) and can undo it; reviews the candidate
/// duplicate pairs found at registration; reads the duplicate rate. A pair across organisations
/// shows only the other organisation's name and the pair's reference — never the other side's
/// person, identifiers, score or (before both sides confirmed) case.
enum DuplicateCommands {
    static let declarations: [CommandSpec] = [merge, unmerge, list, confirm, reject, rate]

    static let merge = CommandSpec(
        "PERSON MERGE", access: .roles(UseCase.mergePersons.roles),
        positional: [
            Arguments.id("case-a", "a case of the person who stays"),
            Arguments.id("case-b", "a case of the person merged into them"),
        ],
        summary: "merge two person records: the second person's cases move to the first (undo: PERSON UNMERGE)",
        quick: true
    ) { services, invocation, session in
        let merge = try await services.duplicates.merge(
            survivorCase: Int64(try invocation.int("case-a")), mergedCase: Int64(try invocation.int("case-b")),
            by: invocation.actor(session))
        return .ok(fields(merge), message: "persons merged")
    }

    static let unmerge = CommandSpec(
        "PERSON UNMERGE", access: .roles(UseCase.unmergePersons.roles),
        positional: [Arguments.id("merge", "merge id (PERSON MERGE's reply)")],
        summary: "undo a merge: the moved cases go back to their own person", quick: true
    ) { services, invocation, session in
        let merge = try await services.duplicates.unmerge(
            Int64(try invocation.int("merge")), by: invocation.actor(session))
        return .ok(fields(merge), message: "merge undone")
    }

    static let list = CommandSpec(
        "DUPLICATE LIST", access: .roles(UseCase.listDuplicates.roles),
        named: [.optional("status", .choice(of: DuplicateStatus.self), help: "only pairs of this status")],
        summary: "candidate duplicate pairs of your organisation, and possible matches at other organisations"
    ) { services, invocation, session in
        let pairs = try await services.duplicates.pairs(
            status: try invocation.optionalChoice(DuplicateStatus.self, "status"), by: invocation.actor(session))
        return .data(.table("duplicate pairs", columns: columns, rows: pairs.map(row)))
    }

    static let confirm = decision("DUPLICATE CONFIRM", .confirmDuplicate, .confirmed, "these are one person")
    static let reject = decision("DUPLICATE REJECT", .rejectDuplicate, .rejected, "these are different people")

    static func decision(_ name: String, _ useCase: UseCase, _ decision: DuplicateDecision, _ meaning: String)
        -> CommandSpec
    {
        CommandSpec(
            name, access: .roles(useCase.roles), positional: [Arguments.id("pair", "pair id (DUPLICATE LIST)")],
            summary: "your organisation's decision on a candidate pair: \(meaning)", quick: true
        ) { services, invocation, session in
            let pair = try await services.duplicates.decide(
                Int64(try invocation.int("pair")), decision, by: invocation.actor(session))
            var fields = [ReplyField("pair", .int(Int(pair.id))), ReplyField("status", .string(pair.status.rawValue))]
            if let linked = pair.linkedCase { fields.append(ReplyField("linked_case", .int(Int(linked)))) }
            return .ok(fields)
        }
    }

    static let rate = CommandSpec(
        "DUPLICATE RATE", access: .roles(UseCase.duplicateRate.roles),
        summary: "data quality: registrations, candidate pairs by status, merges and the duplicate rate"
    ) { services, invocation, session in
        let rate = try await services.duplicates.rate(by: invocation.actor(session))
        var rows: [[ReplyValue]] = [[.string("registrations"), .int(rate.registrations)]]
        for status in DuplicateStatus.allCases {
            rows.append([.string("pairs_within_\(status.rawValue)"), .int(rate.within[status] ?? 0)])
        }
        for status in DuplicateStatus.allCases {
            rows.append([.string("pairs_across_\(status.rawValue)"), .int(rate.across[status] ?? 0)])
        }
        rows.append([.string("merges"), .int(rate.merges)])
        rows.append([.string("duplicate_rate"), .double(rate.duplicateRate)])
        return .data(.table("duplicate rate", columns: ["measure", "value"], rows: rows))
    }

    static func fields(_ merge: PersonMerge) -> [ReplyField] {
        [
            ReplyField("merge", .int(Int(merge.id))), ReplyField("case_a", .int(Int(merge.survivorCase))),
            ReplyField("case_b", .int(Int(merge.mergedCase))),
            ReplyField("moved", .string(merge.movedCases.map(String.init).joined(separator: ","))),
        ]
    }

    static let columns = [
        "pair", "with", "case", "other_case", "score", "status", "our_decision", "their_decision",
    ]

    /// One pair. Within the organisation: both cases and the score; across: the other
    /// organisation's name and its decision, and its case only once linked. No time: when a pair
    /// across organisations was found would tell one side when the other registered the person.
    static func row(_ pair: DuplicatePairView) -> [ReplyValue] {
        [
            .int(Int(pair.id)), pair.otherOrganisation.map(ReplyValue.string) ?? .null, .int(Int(pair.ownCase)),
            (pair.secondCase ?? pair.linkedCase).map { .int(Int($0)) } ?? .null,
            pair.score.map(ReplyValue.double) ?? .null, .string(pair.status.rawValue),
            pair.ownDecision.map { .string($0.rawValue) } ?? .null,
            pair.otherDecision.map { .string($0.rawValue) } ?? .null,
        ]
    }
}
