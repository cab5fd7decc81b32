import PassageCore
import PassageServices

/// `PERSON SET|SHOW`: who a case is about (PersonService: encrypted, apart from the facts, only
/// for the owning organisation's caseworkers and supervisors, every read audited).
enum PersonCommands {
    static let declarations: [CommandSpec] = [set, show]

    static let set = CommandSpec(
        "PERSON SET", access: .roles(UseCase.recordPerson.roles), positional: [Arguments.id("case", "case id")],
        named: [
            .optional("name", .text(maxLength: 200), help: "full name"),
            .optional("dob", .date, help: "date of birth"),
            .optional("phone", .text(maxLength: 40), help: "phone number"),
            .optional("documents", .list(.any), help: "document numbers, comma-separated"),
        ],
        summary: "record who a case is about (encrypted; named fields change, others stay)",
        quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("case"))
        let change = PersonDetailsChange(
            name: invocation.optionalText("name"), dateOfBirth: invocation.date("dob").map(\.description),
            phone: invocation.optionalText("phone"), documents: invocation.list("documents"))
        try await services.people.record(change, forCase: id, by: invocation.actor(session))
        return .ok([ReplyField("case", .int(Int(id)))], message: "personal details recorded")
    }

    static let show = CommandSpec(
        "PERSON SHOW", access: .roles(UseCase.showPerson.roles), positional: [Arguments.id("case", "case id")],
        summary: "the personal details of a case (every read is audited)", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("case"))
        let person = try await services.people.details(ofCase: id, by: invocation.actor(session))
        let rows: [[ReplyValue]] = [
            [.string("name"), .string(person.names.joined(separator: "; "))],
            [.string("dob"), .string(person.dateOfBirth ?? "")],
            [.string("phone"), .string(person.phone ?? "")],
            [.string("documents"), .string(person.documents.joined(separator: ", "))],
        ]
        return .data(.table("person of case \(id)", columns: ["field", "value"], rows: rows))
    }
}
