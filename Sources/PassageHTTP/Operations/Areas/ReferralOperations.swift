import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Referrals between organisations (ReferralService, as REFER and REFERRAL SET|LIST|SHOW): the
/// referring side refers and cancels, the receiving side accepts, declines and completes.
/// Moves are `PATCH /v1/referrals/{referral}` with the status to reach, under `If-Match`.
enum ReferralOperations {
    static let all = [refer, list, show, move]

    static let idempotencyKeyField = HTTPField.Name("Idempotency-Key")!

    static let refer = APIOperation(
        "createReferral", .post, "/v1/referrals", tag: "referrals",
        summary: "refer a need of a case to a provider", access: .useCase(.refer),
        parameters: [
            .header(
                "Idempotency-Key",
                "up to 128 visible characters: a repeat with the same key returns the same referral (200) and makes no second one"
            )
        ],
        requestBody: ReferralOrderBody.schema,
        answers: [
            .init(
                201, "Referred", json: ReferralMadeResource.schema,
                headers: [("Location", "the referral's URL"), ("ETag", "the referral's version")]),
            .init(
                200, "The referral an earlier request with the same Idempotency-Key made, as it stands now",
                json: ReferralMadeResource.schema,
                headers: [("Location", "the referral's URL"), ("ETag", "the referral's version")]),
            .init(
                403,
                "Without consent, an override by someone who is not a supervisor; or this role may not refer",
                json: .reference("Problem")),
            .init(404, "No such case, need or provider in your organisation's view", json: .reference("Problem")),
            .init(
                409,
                "The Idempotency-Key was used for a referral of another case, need or provider; or the need is referred already",
                json: .reference("Problem")),
            .init(
                422, "consent false without a supervisor's override: the person's consent is needed",
                json: .reference("Problem")),
        ]
    ) { call in
        let key = try idempotencyKey(call)
        let body = try await call.body(ReferralOrderBody.self)
        let made = try await call.services.referrals.refer(body.newReferral(idempotencyKey: key), by: call.actor())
        return try JSONResponse.make(
            ReferralMadeResource(made), status: made.created ? .created : .ok,
            etag: EntityTag.of(version: made.version), location: "/v1/referrals/\(made.id)")
    }

    /// Which of the organisation's referrals a list shows.
    enum Direction: String, CaseIterable {
        /// Those it received, as the provider.
        case incoming
        /// Those it made.
        case outgoing

        var side: ReferralSide { self == .incoming ? .receiving : .referring }
    }

    static let list = APIOperation(
        "listReferrals", .get, "/v1/referrals", tag: "referrals",
        summary: "list the referrals your organisation made or received", access: .useCase(.listReferrals),
        parameters: [
            .query(
                "direction", "incoming (received as provider) or outgoing (made); default both",
                schema: .string(choices: Direction.allCases.map(\.rawValue))),
            .query("status", "only this status", schema: .string(choices: ReferralStatus.allCases.map(\.rawValue))),
            .query(
                "overdue", "true: only open referrals past their due time",
                schema: .string(choices: ["true", "false"])),
            .query("case", "only referrals of this case (your organisation's)", schema: .integer(minimum: 1)),
        ] + ListCursor.parameters,
        answers: [
            .init(
                200, "Referrals in id order, each with its due time and whether it is overdue",
                json: ListPage<ReferralResource>.schema(of: ReferralResource.schema))
        ]
    ) { call in
        let cursor = try call.listCursor()
        let filter = ReferralFilter(
            caseID: try positiveQuery(call, "case"), status: try call.query("status", as: ReferralStatus.self),
            overdueOnly: try booleanQuery(call, "overdue") ?? false,
            side: try call.query("direction", as: Direction.self)?.side, after: cursor.after, limit: cursor.limit)
        let views = try await call.services.referrals.list(filter, by: call.actor())
        return try JSONResponse.make(
            ListPage(items: views.map { ReferralResource(view: $0, events: nil) }, limit: cursor.limit) {
                $0.view.id
            })
    }

    static let show = APIOperation(
        "showReferral", .get, "/v1/referrals/{referral}", tag: "referrals",
        summary: "show a referral as your side may see it, with its events", access: .useCase(.showReferral),
        parameters: [.path("referral", "referral id")],
        answers: [
            .init(
                200, "The referral, its consent state, due time and events", json: ReferralResource.detailSchema,
                headers: [("ETag", "the referral's version: send it in If-Match to move it")]),
            .init(404, "No such referral on either of your organisation's sides", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("referral")
        let detail = try await call.services.referrals.show(id, by: call.actor())
        return try JSONResponse.make(
            ReferralResource(view: detail.referral, events: detail.events),
            etag: EntityTag.of(version: detail.referral.version))
    }

    static let move = APIOperation(
        "moveReferral", .patch, "/v1/referrals/{referral}", tag: "referrals",
        summary: "move a referral along its lifecycle: accept, decline, complete or cancel",
        access: .useCase(.moveReferral),
        parameters: [
            .path("referral", "referral id"),
            .header("If-Match", "the ETag of the version you saw (GET /v1/referrals/{referral})", required: true),
        ],
        requestBody: ReferralMoveBody.schema,
        answers: [
            .init(
                200, "Moved", json: ReferralMovedResource.schema, headers: [("ETag", "the referral's new version")]),
            .init(
                403, "Your organisation does not hold the side that may do this (e.g. the referring side accepting)",
                json: .reference("Problem")),
            .init(404, "No such referral on either of your organisation's sides", json: .reference("Problem")),
            .init(409, "Not a move the lifecycle allows from the referral's state", json: .reference("Problem")),
            .init(412, "The referral changed since the version in If-Match", json: .reference("Problem")),
            .init(428, "If-Match is missing", json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("referral")
        let version = try EntityTag.expectedVersion(call)
        let body = try await call.body(ReferralMoveBody.self)
        let moved = try await call.services.referrals.move(
            body.change(referral: id, expectedVersion: version), by: call.actor())
        return try JSONResponse.make(ReferralMovedResource(moved), etag: EntityTag.of(version: moved.version))
    }

    /// The `Idempotency-Key` header: visible ASCII, 1 to 128 characters (REFER's `key=`).
    static func idempotencyKey(_ call: APICall) throws(Problem) -> String? {
        guard let key = call.header(idempotencyKeyField) else { return nil }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.badArgument("Idempotency-Key", "must be 1 to 128 visible ASCII characters")
        }
        return key
    }

    static func positiveQuery(_ call: APICall, _ name: String) throws(Problem) -> Int64? {
        guard let text = call.query(name) else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw Problem.badArgument(name, "must be a positive whole number")
        }
        return value
    }

    static func booleanQuery(_ call: APICall, _ name: String) throws(Problem) -> Bool? {
        switch call.query(name) {
        case nil: nil
        case "true": true
        case "false": false
        default: throw Problem.badArgument(name, "must be true or false")
        }
    }
}
