import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Cases (CaseService, as CASE NEW, SHOW, SET, OVERRIDE and LIST): opened from facts, read as a
/// whole file with the classification and its legal basis, changed under `If-Match`, overridden
/// by a supervisor, listed by page. Facts are read by the case-facts contract's decoder, the
/// one the console and imports use.
enum CaseOperations {
    static let all = [open, list, show, change, override]

    static let caseParameter = APIOperation.Parameter.path("case", "case id")
    static let ifMatch = APIOperation.Parameter.header(
        "If-Match", "the ETag of the version you last read (\"v3\"); required", required: true)

    static func location(_ id: Int64) -> String { "/v1/cases/\(id)" }

    static let open = APIOperation(
        "openCase", .post, "/v1/cases", tag: "cases", summary: "open a case from facts",
        access: .useCase(.openCase), requestBody: CaseFactsSchema.newCase,
        answers: [
            .init(
                201, "Opened and classified", json: CaseResource.schema,
                headers: [("Location", "the case's address"), ("ETag", "its version, for If-Match")]),
            .init(409, "A case with this ref exists in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let facts = EnteredFacts.json(try await call.bodyText())
        let record = try await call.services.cases.open(facts, by: call.actor())
        return try JSONResponse.make(
            CaseResource(record), status: .created, etag: EntityTag.of(version: record.version),
            location: location(record.id))
    }

    static let list = APIOperation(
        "listCases", .get, "/v1/cases", tag: "cases", summary: "list your organisation's cases",
        access: .useCase(.listCases),
        parameters: [
            .query(
                "category", "only cases whose category in force is this one",
                schema: CaseFactsSchema.choices(MovementCategory.self)),
            .query(
                "review", "true: only cases whose classification needs review",
                schema: .string(choices: ["true", "false"])),
        ] + ListCursor.parameters,
        answers: [
            .init(200, "Cases in id order", json: ListPage<CaseSummaryResource>.schema(of: CaseSummaryResource.schema))
        ]
    ) { call in
        let cursor = try call.listCursor()
        var reviewOnly = false
        if let review = call.query("review") {
            guard review == "true" || review == "false" else {
                throw Problem.badArgument("review", "must be true or false")
            }
            reviewOnly = review == "true"
        }
        let filter = CaseFilter(
            category: try call.query("category", as: MovementCategory.self), reviewOnly: reviewOnly,
            after: cursor.after, limit: cursor.limit)
        let cases = try await call.services.cases.list(filter, by: call.actor())
        return try JSONResponse.make(
            ListPage(items: cases.map(CaseSummaryResource.init), limit: cursor.limit) { $0.id })
    }

    static let show = APIOperation(
        "showCase", .get, "/v1/cases/{case}", tag: "cases",
        summary: "read a case: facts, classification with its legal basis, review flags, history, needs and referrals",
        access: .useCase(.showCase), parameters: [caseParameter],
        answers: [
            .init(
                200, "The case file (an audited read)", json: CaseFileResource.schema,
                headers: [("ETag", "its version")]),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let file = try await call.services.cases.file(of: try call.id("case"), by: call.actor())
        return try JSONResponse.make(CaseFileResource(file: file), etag: EntityTag.of(version: file.record.version))
    }

    static let change = APIOperation(
        "changeCase", .patch, "/v1/cases/{case}", tag: "cases",
        summary: "change facts of a case and classify it again", access: .useCase(.changeCase),
        parameters: [caseParameter, ifMatch], requestBody: CaseFactsSchema.change,
        answers: [
            .init(
                200, "Changed and classified again", json: CaseResource.schema, headers: [("ETag", "the new version")]),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
            .init(412, "The case changed since the version in If-Match: read it again", json: .reference("Problem")),
            .init(428, "If-Match is missing", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let version = try EntityTag.expectedVersion(call)
        let facts = EnteredFacts.json(try await call.bodyText())
        let record = try await call.services.cases.change(id, expectedVersion: version, facts: facts, by: call.actor())
        return try JSONResponse.make(CaseResource(record), etag: EntityTag.of(version: record.version))
    }

    static let override = APIOperation(
        "overrideCategory", .post, "/v1/cases/{case}/override", tag: "cases",
        summary: "override the classification; the rule result stays in the history",
        access: .useCase(.overrideCategory), parameters: [caseParameter], requestBody: OverrideBody.schema,
        answers: [
            .init(
                200, "The category in force is now the one given", json: CaseResource.schema,
                headers: [("ETag", "its version")]),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let body = try await call.body(OverrideBody.self)
        let record = try await call.services.cases.override(
            id, category: try body.movementCategory, reason: body.reason, by: call.actor())
        return try JSONResponse.make(CaseResource(record), etag: EntityTag.of(version: record.version))
    }
}
