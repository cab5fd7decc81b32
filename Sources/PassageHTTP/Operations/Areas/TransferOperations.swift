import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Case transfers between organisations (TransferService, as the TRANSFER commands;
/// Docs/transfers.md). A transfer's decisions are actions, not edits: each is a POST to the
/// transfer's own sub-path (`accept`, `decline`, `cancel`).
enum TransferOperations {
    static let all = [propose, request, accept, decline, cancel, list, owners]

    static let transferParameter = APIOperation.Parameter.path("transfer", "transfer id")
    static let decidedAnswers: [APIOperation.Answer] = [
        .init(200, "Done", json: TransferResource.schema),
        .init(403, "Your side does not decide this transfer", json: .reference("Problem")),
        .init(404, "No such transfer your organisation is a party to", json: .reference("Problem")),
        .init(409, "The transfer is no longer open", json: .reference("Problem")),
    ]

    static let propose = APIOperation(
        "proposeTransfer", .post, "/v1/cases/{case}/transfers", tag: "transfers",
        summary: "offer a case to another organisation, with the person's consent", access: .useCase(.proposeTransfer),
        parameters: [CaseOperations.caseParameter], requestBody: ProposeTransferBody.schema,
        answers: [
            .init(201, "Proposed", json: TransferResource.schema),
            .init(404, "No such case in your organisation, or no such organisation", json: .reference("Problem")),
            .init(409, "The case already has an open transfer", json: .reference("Problem")),
            .init(422, "No consent recorded", json: .reference("Problem")),
        ]
    ) { call in
        let caseID = try call.id("case")
        let body = try await call.body(ProposeTransferBody.self)
        let transfer = try await call.services.transfers.propose(
            caseID: caseID, to: try organisationName(body.to, "to"),
            reason: try transferChoice(TransferReason.self, body.reason, "reason"), consented: body.consent,
            by: call.actor())
        return try JSONResponse.make(TransferResource(record: transfer), status: .created)
    }

    static let request = APIOperation(
        "requestTransfer", .post, "/v1/transfer-requests", tag: "transfers",
        summary: "ask another organisation for one of its cases", access: .useCase(.requestTransfer),
        requestBody: RequestTransferBody.schema,
        answers: [
            .init(201, "Requested", json: TransferResource.schema),
            .init(404, "No such case at that organisation", json: .reference("Problem")),
            .init(409, "The case already has an open transfer", json: .reference("Problem")),
            .init(429, "Ten requests spent; one more a minute", json: .reference("Problem")),
        ]
    ) { call in
        let body = try await call.body(RequestTransferBody.self)
        guard body.caseID > 0 else { throw Problem.badArgument("case", "must be a positive whole number") }
        let transfer = try await call.services.transfers.request(
            caseID: body.caseID, from: try organisationName(body.from, "from"),
            reason: try transferChoice(TransferReason.self, body.reason, "reason"), by: call.actor())
        return try JSONResponse.make(TransferResource(record: transfer), status: .created)
    }

    static let accept = APIOperation(
        "acceptTransfer", .post, "/v1/transfers/{transfer}/accept", tag: "transfers",
        summary: "accept a proposed transfer, or grant a requested one: the case changes owner",
        access: .useCase(.acceptTransfer), parameters: [transferParameter], requestBody: AcceptTransferBody.schema,
        answers: decidedAnswers + [.init(422, "Granting a request without consent", json: .reference("Problem"))]
    ) { call in
        let id = try call.id("transfer")
        let body = try await call.body(AcceptTransferBody.self)
        let transfer = try await call.services.transfers.accept(id, consented: body.consent ?? false, by: call.actor())
        return try JSONResponse.make(TransferResource(record: transfer))
    }

    static let decline = APIOperation(
        "declineTransfer", .post, "/v1/transfers/{transfer}/decline", tag: "transfers",
        summary: "decline a proposed or requested transfer", access: .useCase(.declineTransfer),
        parameters: [transferParameter], requestBody: EndTransferBody.schema(required: false), answers: decidedAnswers
    ) { call in
        let id = try call.id("transfer")
        let body = try await call.body(EndTransferBody.self)
        let reason = try body.reason.map { text throws(Problem) in
            try transferChoice(TransferEndReason.self, text, "reason")
        }
        let transfer = try await call.services.transfers.decline(id, reason: reason, by: call.actor())
        return try JSONResponse.make(TransferResource(record: transfer))
    }

    static let cancel = APIOperation(
        "cancelTransfer", .post, "/v1/transfers/{transfer}/cancel", tag: "transfers",
        summary: "cancel an open transfer (either side; consent_withdrawn when the person revoked consent)",
        access: .useCase(.cancelTransfer), parameters: [transferParameter],
        requestBody: EndTransferBody.schema(required: true), answers: decidedAnswers
    ) { call in
        let id = try call.id("transfer")
        guard let text = try await call.body(EndTransferBody.self).reason else {
            throw Problem.badArgument("reason", "is required")
        }
        let transfer = try await call.services.transfers.cancel(
            id, reason: try transferChoice(TransferEndReason.self, text, "reason"), by: call.actor())
        return try JSONResponse.make(TransferResource(record: transfer))
    }

    static let list = APIOperation(
        "listTransfers", .get, "/v1/transfers", tag: "transfers",
        summary: "transfers your organisation is a party to, a page at a time", access: .useCase(.listTransfers),
        parameters: [.query("case", "only the transfers of this case", schema: .integer(minimum: 1))]
            + ListCursor.parameters,
        answers: [.init(200, "Oldest first", json: ListPage<TransferResource>.schema(of: TransferResource.schema))]
    ) { call in
        let cursor = try call.listCursor()
        var caseID: Int64?
        if let text = call.query("case") {
            guard let value = Int64(text), value > 0 else {
                throw Problem.badArgument("case", "must be a positive whole number")
            }
            caseID = value
        }
        let transfers = try await call.services.transfers.list(
            caseID: caseID, after: cursor.after, limit: cursor.limit, by: call.actor())
        return try JSONResponse.make(
            ListPage(items: transfers.map { TransferResource(record: $0) }, limit: cursor.limit) { $0.record.id })
    }

    static let owners = APIOperation(
        "listCaseOwners", .get, "/v1/cases/{case}/owners", tag: "transfers",
        summary: "every owner of a case with dates", access: .useCase(.caseOwners),
        parameters: [CaseOperations.caseParameter],
        answers: [
            .init(
                200, "Oldest first; the current owner's until is null",
                json: ListPage<OwnerResource>.schema(of: OwnerResource.schema)),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
        ]
    ) { call in
        let owners = try await call.services.transfers.owners(ofCase: try call.id("case"), by: call.actor())
        return try JSONResponse.make(ListPage.whole(owners.map(OwnerResource.init)))
    }
}
