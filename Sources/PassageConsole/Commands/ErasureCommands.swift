import PassageCore
import PassageServices

/// `PERSON ERASE` and `ORG RETENTION` (ErasureService, Docs/case-life.md "Retention and
/// erasure"): erasing a person by crypto-shredding, and the organisation's retention period.
enum ErasureCommands {
    static let declarations: [CommandSpec] = [erase, retention]

    static let erase = CommandSpec(
        "PERSON ERASE", access: .roles(UseCase.erasePerson.roles),
        positional: [
            Arguments.id("case", "closed case id (your organisation's)"),
            ArgumentSpec(
                "reason", .choice(of: ErasureReason.self),
                help: "request (the person asked) or retention (the retention period ran out)"),
        ],
        summary: "erase the personal details of a closed case's person for good (crypto-shredding)", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("case"))
        let outcome = try await services.erasure.erase(
            personOfCase: id, reason: try invocation.choice(ErasureReason.self, "reason"),
            by: invocation.actor(session))
        return .ok(
            [
                ReplyField("case", .int(Int(id))), ReplyField("persons", .int(outcome.persons)),
                ReplyField("notes", .int(outcome.notes)),
            ], message: "personal details erased")
    }

    static let retention = CommandSpec(
        "ORG RETENTION", access: .roles(UseCase.setRetention.roles),
        positional: [
            ArgumentSpec(
                "months", .text(maxLength: 4),
                help: "months after closure (1-1200) a closed case's person is kept, or off")
        ],
        summary: "set your organisation's retention period for the persons of closed cases", quick: true
    ) { services, invocation, session in
        let text = try invocation.text("months")
        let months: Int?
        if text.lowercased() == "off" {
            months = nil
        } else if let value = Int(text), (1...1200).contains(value) {
            months = value
        } else {
            throw ConsoleError.badArgument(argument: "months", message: "expected 1 to 1200, or off")
        }
        try await services.erasure.setRetention(months: months, by: invocation.actor(session))
        return .ok(
            [ReplyField("months", months.map { .int($0) } ?? .string("off"))], message: "retention period set")
    }
}
