import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Protection needs (NeedService, as NEED ADD, NEED LIST and NEED SET): recorded on a case and
/// listed under it; a need's status changes at its own address under `If-Match`.
enum NeedOperations {
    static let all = [add, list, setStatus]

    static let add = APIOperation(
        "addNeed", .post, "/v1/cases/{case}/needs", tag: "needs", summary: "record a protection need of a case",
        access: .useCase(.addNeed), parameters: [CaseOperations.caseParameter], requestBody: NewNeedBody.schema,
        answers: [
            .init(201, "Recorded, open", json: NeedResource.schema, headers: [("ETag", "its version, for If-Match")]),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let caseID = try call.id("case")
        let body = try await call.body(NewNeedBody.self)
        let need = try await call.services.needs.add(try body.newNeed(caseID: caseID), by: call.actor())
        return try JSONResponse.make(NeedResource(need), status: .created, etag: EntityTag.of(version: need.version))
    }

    static let list = APIOperation(
        "listNeeds", .get, "/v1/cases/{case}/needs", tag: "needs",
        summary: "the protection needs of a case with status and version", access: .useCase(.listNeeds),
        parameters: [CaseOperations.caseParameter] + ListCursor.parameters,
        answers: [
            .init(
                200, "The case's needs in id order",
                json: ListPage<NeedResource>.schema(of: NeedResource.schema)),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let caseID = try call.id("case")
        let cursor = try call.listCursor()
        let needs = try await call.services.needs.list(
            NeedFilter(caseID: caseID, after: cursor.after, limit: cursor.limit), by: call.actor())
        return try JSONResponse.make(ListPage(items: needs.map(NeedResource.init), limit: cursor.limit) { $0.need.id })
    }

    static let setStatus = APIOperation(
        "setNeedStatus", .patch, "/v1/needs/{need}", tag: "needs",
        summary: "mark a need met or withdrawn, or reopen it", access: .useCase(.setNeedStatus),
        parameters: [.path("need", "need id"), CaseOperations.ifMatch], requestBody: NeedStatusBody.schema,
        answers: [
            .init(200, "Moved", json: NeedResource.schema, headers: [("ETag", "the new version")]),
            .init(404, "No such need in your organisation", json: .reference("Problem")),
            .init(409, "The need already has this status", json: .reference("Problem")),
            .init(412, "The need changed since the version in If-Match: read it again", json: .reference("Problem")),
            .init(428, "If-Match is missing", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("need")
        let version = try EntityTag.expectedVersion(call)
        let status = try await call.body(NeedStatusBody.self).needStatus
        let need = try await call.services.needs.setStatus(
            of: id, to: status, expectedVersion: version, by: call.actor())
        return try JSONResponse.make(NeedResource(need), etag: EntityTag.of(version: need.version))
    }
}
