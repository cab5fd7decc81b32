import PassageCore
import PassageServices

/// `NEED ADD|LIST|SET`: the protection needs of a case (NeedService: in the case's organisation
/// only, each read and change audited in its own transaction).
enum NeedCommands {
    static let declarations: [CommandSpec] = [add, list, set]

    static let add = CommandSpec(
        "NEED ADD", access: .roles(UseCase.addNeed.roles),
        positional: [
            Arguments.id("case", "case id"),
            ArgumentSpec("code", .text(maxLength: 16), help: "UNHCR specific-needs code: LP, SM, SV-VA, …"),
        ],
        named: [Arguments.priority, Arguments.note],
        summary: "record a protection need of a case", quick: true
    ) { services, invocation, session in
        let need = NewNeed(
            caseID: Int64(try invocation.int("case")), code: try invocation.text("code"),
            priority: try invocation.choice(Priority.self, "priority"), note: invocation.optionalText("note"))
        let record = try await services.needs.add(need, by: invocation.actor(session))
        return .ok([ReplyField("need", .int(Int(record.id)))])
    }

    static let list = CommandSpec(
        "NEED LIST", access: .roles(UseCase.listNeeds.roles), positional: [Arguments.id("case", "case id")],
        summary: "the protection needs of a case with status and version"
    ) { services, invocation, session in
        let caseID = Int64(try invocation.int("case"))
        let needs = try await services.needs.list(ofCase: caseID, by: invocation.actor(session))
        return .data(.table("needs of case \(caseID)", columns: columns, rows: needs.map(row)))
    }

    static let set = CommandSpec(
        "NEED SET", access: .roles(UseCase.setNeedStatus.roles),
        positional: [
            Arguments.id("need", "need id"),
            ArgumentSpec("status", .choice(ConsoleVocabulary.needStatuses), help: "met, withdrawn, or open to reopen"),
        ],
        named: [
            .optional(
                "version", .integer(1...Int(Int32.max)), help: "the version you last saw; a stale one is refused (551)")
        ],
        summary: "mark a need met or withdrawn, or reopen it", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("need"))
        let need = try await services.needs.setStatus(
            of: id, to: try invocation.choice(NeedStatus.self, "status"),
            expectedVersion: invocation.optionalInt("version"),
            by: invocation.actor(session))
        return .ok([
            ReplyField("need", .int(Int(need.id))), ReplyField("status", .string(need.status.rawValue)),
            ReplyField("version", .int(need.version)),
        ])
    }

    static let columns = [
        "need", "code", "meaning", "dimension", "priority", "status", "version", "identified", "by", "note",
    ]

    static func row(_ need: NeedRecord) -> [ReplyValue] {
        [
            .int(Int(need.id)), .string(need.code), .string(need.meaning), .string(need.dimension),
            .string(need.priority),
            .string(need.status.rawValue), .int(need.version), .string(ConsoleTime.text(need.identifiedAt)),
            .string(need.identifiedBy), need.note.map(ReplyValue.string) ?? .null,
        ]
    }
}
