import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Who a case is about (PersonService, as PERSON SHOW and PERSON SET): a sub-resource of the
/// case, encrypted at rest, for the owning organisation only, every read audited.
enum PersonOperations {
    static let all = [show, record, search]

    static let show = APIOperation(
        "showPerson", .get, "/v1/cases/{case}/person", tag: "persons",
        summary: "read the personal details of a case (every read is audited)", access: .useCase(.showPerson),
        parameters: [CaseOperations.caseParameter],
        answers: [
            .init(200, "The personal details", json: PersonResource.schema),
            .init(404, "No such case in your organisation, or no details recorded", json: .reference("Problem")),
            .init(429, "Your bulk-read budget is spent; retry later", json: .reference("Problem")),
        ]
    ) { call in
        let person = try await call.services.people.details(ofCase: try call.id("case"), by: call.actor())
        return try JSONResponse.make(PersonResource(person))
    }

    static let record = APIOperation(
        "recordPerson", .patch, "/v1/cases/{case}/person", tag: "persons",
        summary:
            "record who a case is about (the fields given change, the others stay); 200 lists the people of your organisation this one may be",
        access: .useCase(.recordPerson), parameters: [CaseOperations.caseParameter],
        requestBody: PersonChangeBody.schema,
        answers: [
            .init(
                200, "Recorded; the person strongly matches others of your organisation (PERSON SET's warning)",
                json: PossibleDuplicatesResource.schema),
            .init(204, "Recorded; no strong match"),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let body = try await call.body(PersonChangeBody.self)
        // The duplicate check of PERSON SET: the caseworker decides, nothing is blocked. Without
        // a strong match the answer stays the 204 clients know (Docs/http-api.md "Persons").
        let duplicates = try await call.services.people.recordChecking(body.change, forCase: id, by: call.actor())
        guard !duplicates.isEmpty else { return JSONResponse.empty() }
        return try JSONResponse.make(PossibleDuplicatesResource(duplicates))
    }

    static let search = APIOperation(
        "searchPersons", .get, "/v1/persons", tag: "persons",
        summary: "find people of your organisation before creating them (as PERSON SEARCH; audited)",
        access: .useCase(.searchPersons),
        parameters: [
            .query("name", "any name parts, in any order and script", schema: .string(maxLength: 200)),
            .query("dob", "date of birth: YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY", schema: .string(maxLength: 21)),
            .query("sex", "only cases of this sex", schema: .string(choices: ["female", "male", "other", "unknown"])),
            .query("nationality", "only cases of this nationality (ISO 3166-1 alpha-2)", schema: .string(maxLength: 9)),
            .query("phone", "phone number", schema: .string(maxLength: 40)),
            .query("document", "document number", schema: .string(maxLength: 200)),
            .query("limit", "at most this many people (1–100, default 20)", schema: .integer(minimum: 1, maximum: 100)),
        ],
        answers: [
            .init(200, "The people found, strongest first", json: PersonMatchesResource.schema),
            .init(400, "A value is malformed, or nothing to search by", json: .reference("Problem")),
        ]
    ) { call in
        var birth: BirthQuery?
        if let dob = call.query("dob") {
            guard let parsed = BirthQuery(dob) else {
                throw Problem.badArgument("dob", "expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY (at most 20 years)")
            }
            birth = parsed
        }
        let query = PersonQuery(
            name: call.query("name"), birth: birth, sex: call.query("sex"), nationality: call.query("nationality"),
            phone: call.query("phone"), document: call.query("document"))
        let matches = try await call.services.people.search(
            query, limit: try call.query("limit", in: 1...100, default: 20), by: call.actor())
        return try JSONResponse.make(PersonMatchesResource(items: matches.map(PersonMatchResource.init)))
    }
}
