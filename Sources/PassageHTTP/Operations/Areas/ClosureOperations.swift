import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Closing and reopening a case (CaseService, as CASE CLOSE and CASE REOPEN; Docs/case-life.md):
/// the closure is a sub-resource of the case, created to close it and deleted to reopen it.
enum ClosureOperations {
    static let all = [close, reopen]

    static let close = APIOperation(
        "closeCase", .post, "/v1/cases/{case}/closure", tag: "cases",
        summary: "close a case with a reason; refused while referrals (or, without carry_forward, needs) are open",
        access: .useCase(.closeCase), parameters: [CaseOperations.caseParameter], requestBody: ClosureBody.schema,
        answers: [
            .init(200, "The case is closed", json: ClosureResource.schema),
            .init(403, "Your organisation has a supervisor close its cases", json: .reference("Problem")),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
            .init(409, "Already closed, or referrals or needs still open (listed)", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let body = try await call.body(ClosureBody.self)
        let closure = try await call.services.cases.close(
            id, reason: try body.closureReason, carryForward: body.carryForward ?? false, by: call.actor())
        return try JSONResponse.make(ClosureResource(closure))
    }

    static let reopen = APIOperation(
        "reopenCase", .delete, "/v1/cases/{case}/closure", tag: "cases",
        summary: "reopen a closed case (a supervisor)",
        access: .useCase(.reopenCase), parameters: [CaseOperations.caseParameter],
        answers: [
            .init(200, "The case is open again", json: ClosureResource.schema),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
            .init(409, "The case is not closed", json: .reference("Problem")),
        ]
    ) { call in
        let closure = try await call.services.cases.reopen(try call.id("case"), by: call.actor())
        return try JSONResponse.make(ClosureResource(closure))
    }
}
