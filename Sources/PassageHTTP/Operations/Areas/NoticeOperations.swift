import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Supervisors' view of account changes other organisations' administrators made in theirs, and
/// their confirmation (UserService, as NOTICES and USER CONFIRM; Docs/security.md "7.
/// Separation of duties"). Both are limited to the supervisor's own organisation.
enum NoticeOperations {
    static let all = [notices, confirm]

    static let notices = APIOperation(
        "listNotices", .get, "/v1/notices", tag: "users",
        summary: "read account changes other organisations' administrators made in yours, newest first",
        access: .useCase(.notices),
        parameters: [
            .query("limit", "how many notices (default 20, as NOTICES)", schema: .integer(minimum: 1, maximum: 1000)),
            .query("cursor", "the next_cursor of the previous page: older notices"),
        ],
        answers: [
            .init(
                200, "The newest notices of your organisation, newest first",
                json: ListPage<NoticeResource>.schema(of: NoticeResource.schema))
        ]
    ) { call in
        let count = try call.query("limit", in: 1...1000, default: 20)
        // Newest first: the cursor is the last (oldest) notice of the page, the next page older.
        var before: Int64?
        if let text = call.query("cursor") {
            guard let id = ListCursor.id(of: text) else {
                throw Problem.badArgument("cursor", "must be the next_cursor of a previous page, unchanged")
            }
            before = id
        }
        let notices = try await call.services.users.notices(count, before: before, by: call.actor())
        return try JSONResponse.make(ListPage(items: notices.map(NoticeResource.init), limit: count) { $0.notice.id })
    }

    static let confirm = APIOperation(
        "confirmUser", .post, "/v1/users/{user}/confirmation", tag: "users",
        summary:
            "let an account of your organisation that another organisation's administrator created or changed sign in",
        access: .useCase(.confirmUser),
        parameters: [.path("user", "user name", schema: .string(maxLength: 64))],
        answers: [
            .init(200, "Confirmed: the account may sign in", json: ConfirmationResource.schema),
            .init(
                404, "No account of your organisation waits for a confirmation under that name",
                json: .reference("Problem")),
        ]
    ) { call in
        guard let user = call.context.parameters.get("user"), (1...64).contains(user.count) else {
            throw Problem.badArgument("user", "must be a user name of 1 to 64 characters")
        }
        try await call.services.users.confirm(user, by: call.actor())
        return try JSONResponse.make(ConfirmationResource(user: user, confirmed: true))
    }
}
