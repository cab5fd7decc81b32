import PassageCore
import PassageServices

/// `PERSON SET|SHOW|SEARCH`: who a case is about (PersonService: encrypted, apart from the facts,
/// only for the owning organisation's caseworkers and supervisors, every read audited).
enum PersonCommands {
    static let declarations: [CommandSpec] = [set, show, search]

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
        let duplicates = try await services.people.recordChecking(change, forCase: id, by: invocation.actor(session))
        var reply = Reply.ok([ReplyField("case", .int(Int(id)))], message: "personal details recorded")
        // The caseworker decides: a warning line per person this one strongly matches.
        reply.info = duplicates.map { "warning: may be the person of \(describe($0.cases)) (score \($0.score))" }
        if !duplicates.isEmpty { reply.fields.append(ReplyField("possible_duplicates", .int(duplicates.count))) }
        return reply
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

    static let search = CommandSpec(
        "PERSON SEARCH", access: .roles(UseCase.searchPersons.roles),
        named: [
            .optional("name", .text(maxLength: 200), help: "any name parts, in any order and script"),
            .optional("dob", .text(maxLength: 21), help: "date of birth: YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY"),
            .optional("sex", .choice(["female", "male", "other", "unknown"]), help: "only cases of this sex"),
            .optional("nationality", .text(maxLength: 9), help: "only cases of this nationality (ISO 3166-1 alpha-2)"),
            .optional("phone", .text(maxLength: 40), help: "phone number"),
            .optional("document", .text(maxLength: 200), help: "document number"),
            .optional("limit", .integer(1...100), default: .int(20), help: "at most this many people"),
        ],
        summary: "find people of your organisation before creating them (strongest first, audited)"
    ) { services, invocation, session in
        var birth: BirthQuery?
        if let dob = invocation.optionalText("dob") {
            guard let parsed = BirthQuery(dob) else {
                throw ConsoleError.badArgument(
                    argument: "dob", message: "expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY (at most 20 years)")
            }
            birth = parsed
        }
        let query = PersonQuery(
            name: invocation.optionalText("name"), birth: birth, sex: invocation.optionalText("sex"),
            nationality: invocation.optionalText("nationality"), phone: invocation.optionalText("phone"),
            document: invocation.optionalText("document"))
        let matches = try await services.people.search(
            query, limit: invocation.optionalInt("limit") ?? 20, by: invocation.actor(session))
        let rows: [[ReplyValue]] = matches.map { match in
            [
                .int(Int(match.cases[0].id)), .string(match.cases[0].ref),
                .string(match.cases.dropFirst().map { "\($0.id)" }.joined(separator: ",")), .double(match.score),
                .bool(match.isStrong),
            ]
        }
        return .data(.table("people found", columns: ["case", "ref", "other_cases", "score", "strong"], rows: rows))
    }

    /// `case 12 ()`, or `cases 12, 15 ()`.
    static func describe(_ cases: [CaseReference]) -> String {
        (cases.count == 1 ? "case " : "cases ") + cases.map { "\($0.id) (ref \($0.ref))" }.joined(separator: ", ")
    }
}
