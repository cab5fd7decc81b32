import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Who a case is about (PersonService, as PERSON SHOW and PERSON SET): a sub-resource of the
/// case, encrypted at rest, for the owning organisation only, every read audited.
enum PersonOperations {
    static let all = [show, record]

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
        summary: "record who a case is about (the fields given change, the others stay)",
        access: .useCase(.recordPerson), parameters: [CaseOperations.caseParameter],
        requestBody: PersonChangeBody.schema,
        answers: [
            .init(204, "Recorded"),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let body = try await call.body(PersonChangeBody.self)
        try await call.services.people.record(body.change, forCase: id, by: call.actor())
        return JSONResponse.empty()
    }
}
