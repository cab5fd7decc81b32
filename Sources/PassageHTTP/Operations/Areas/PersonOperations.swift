import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Who a case is about (PersonService, as PERSON SHOW and PERSON SET): a sub-resource of the
/// case, encrypted at rest, for the owning organisation only, every read audited.
enum PersonOperations {
    static let all = [show, record, search, searchByBody]

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
        summary:
            "find people of your organisation before creating them (as PERSON SEARCH; audited); deprecated: the values stand in the URL, which proxies log — use POST /v1/persons/search",
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
        try await searching(
            PersonSearchBody(
                name: call.query("name"), dob: call.query("dob"), sex: call.query("sex"),
                nationality: call.query("nationality"), phone: call.query("phone"), document: call.query("document"),
                limit: try call.query("limit", in: 1...100, default: 20)),
            call)
    }

    /// `GET /v1/persons` with the values in a JSON body instead of the URL: proxies and servers in
    /// front of Passage log URLs, and a searched name, date of birth, phone or document number
    /// must not end up in their logs (Docs/security.md item 16). Same answer, roles, bulk-read
    /// budget and audit entry.
    static let searchByBody = APIOperation(
        "searchPersonsByBody", .post, "/v1/persons/search", tag: "persons",
        summary:
            "find people of your organisation before creating them, the values in the body, out of URLs and their logs (prefer this to GET /v1/persons; as PERSON SEARCH; audited)",
        access: .useCase(.searchPersons),
        requestBody: PersonSearchBody.schema,
        answers: [
            .init(200, "The people found, strongest first", json: PersonMatchesResource.schema),
            .init(400, "A value is malformed, or nothing to search by", json: .reference("Problem")),
            .init(429, "Your bulk-read budget is spent; retry later", json: .reference("Problem")),
        ]
    ) { call in
        let body = try await call.body(PersonSearchBody.self)
        if let limit = body.limit, !(1...100).contains(limit) {
            throw Problem.badArgument("limit", "must be a whole number from 1 to 100")
        }
        return try await searching(body, call)
    }

    /// The search both routes answer.
    static func searching(_ body: PersonSearchBody, _ call: APICall) async throws -> Response {
        var birth: BirthQuery?
        if let dob = body.dob {
            guard let parsed = BirthQuery(dob) else {
                throw Problem.badArgument("dob", "expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY (at most 20 years)")
            }
            birth = parsed
        }
        let query = PersonQuery(
            name: body.name, birth: birth, sex: body.sex, nationality: body.nationality, phone: body.phone,
            document: body.document)
        let matches = try await call.services.people.search(query, limit: body.limit ?? 20, by: call.actor())
        return try JSONResponse.make(PersonMatchesResource(items: matches.map(PersonMatchResource.init)))
    }
}
