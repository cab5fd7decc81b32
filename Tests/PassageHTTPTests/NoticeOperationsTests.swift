import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

@Suite struct NoticeOperationsTests {
    /// Alpha's standard accounts, and an administrator and a supervisor of Beta.
    static let accounts =
        HTTPFixture.standardAccounts + [
            (name: "adm-b", role: Role.admin, organisation: "Beta"),
            (name: "sup-b", role: Role.supervisor, organisation: "Beta"),
        ]

    /// Beta's administrator adds `eve` to Alpha: Alpha's supervisors get a notice, eve waits.
    static func eveAddedFromBeta(_ fixture: HTTPFixture) async throws {
        let betaAdmin = Actor(name: "adm-b", role: .admin, organisation: "Beta", source: "192.0.2.8")
        let (_, change) = try await fixture.services.users.add(
            NewUser(name: "eve", role: .caseworker, password: "eve's long password", organisation: "Alpha"),
            by: betaAdmin)
        #expect(change.awaitsConfirmation)
    }

    @Test func aSupervisorReadsTheNoticesAndConfirmsTheAccount() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.eveAddedFromBeta(fixture)
            let supervisor = try await client.signIn("supervisor")
            let answer = try await client.call(.get, "/v1/notices", as: supervisor)
            #expect(answer.status == .ok)
            #expect(SchemaConformance.problems(answer, operationID: "listNotices") == [])
            let notices = try #require(answer.json?["items"] as? [[String: Any]])
            #expect(notices.count == 1)
            #expect(notices.first?["action"] as? String == "user.add")
            #expect(notices.first?["user"] as? String == "eve")
            #expect(notices.first?["actor"] as? String == "adm-b")
            #expect(notices.first?["actor_organisation"] as? String == "Beta")
            #expect((notices.first?["detail"] as? String)?.hasPrefix("role caseworker") == true)
            // Beta's supervisor sees none of Alpha's notices.
            let beta = try await client.call(.get, "/v1/notices", as: try await client.signIn("sup-b"))
            #expect((beta.json?["items"] as? [Any])?.isEmpty == true)

            let waiting = try await client.call(
                .post, "/v1/sessions", as: nil, json: ["user": "eve", "password": "eve's long password"])
            #expect(waiting.status == .unauthorized)
            let confirmed = try await client.call(.post, "/v1/users/eve/confirmation", as: supervisor)
            #expect(confirmed.status == .ok)
            #expect(SchemaConformance.problems(confirmed, operationID: "confirmUser") == [])
            #expect(confirmed.json?["user"] as? String == "eve")
            #expect(confirmed.json?["confirmed"] as? Bool == true)
            #expect(try await ReferralHTTPWorld.audit(fixture, .userConfirm) == [["supervisor", "user:eve", ""]])
            // The confirmation is a notice too; pages run newest first, one notice each.
            let page1 = try #require(try await client.call(.get, "/v1/notices?limit=1", as: supervisor).json)
            #expect((page1["items"] as? [[String: Any]])?.map { $0["action"] as? String } == ["user.confirm"])
            let cursor = try #require(page1["next_cursor"] as? String)
            let page2 = try #require(
                try await client.call(.get, "/v1/notices?limit=1&cursor=\(cursor)", as: supervisor).json)
            #expect((page2["items"] as? [[String: Any]])?.map { $0["action"] as? String } == ["user.add"])
            let all = try #require(try await client.call(.get, "/v1/notices", as: supervisor).json)
            #expect((all["items"] as? [Any])?.count == 2 && all["next_cursor"] is NSNull)
            // eve may sign in now.
            let eve = try await client.call(
                .post, "/v1/sessions", as: nil, json: ["user": "eve", "password": "eve's long password"])
            #expect(eve.status == .created)
        }
    }

    @Test func confirmingIsLimitedToTheSupervisorsOrganisation() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.eveAddedFromBeta(fixture)
            // Beta's supervisor cannot confirm Alpha's account: not found in Beta.
            let beta = try await client.call(.post, "/v1/users/eve/confirmation", as: try await client.signIn("sup-b"))
            #expect(beta.status == .notFound)
            let supervisor = try await client.signIn("supervisor")
            #expect(try await client.call(.post, "/v1/users/nobody/confirmation", as: supervisor).status == .notFound)
            #expect(try await client.call(.post, "/v1/users/eve/confirmation", as: supervisor).status == .ok)
            // A second confirmation finds nothing waiting.
            #expect(try await client.call(.post, "/v1/users/eve/confirmation", as: supervisor).status == .notFound)
            #expect(try await ReferralHTTPWorld.audit(fixture, .userConfirm).count == 1)
            let long = String(repeating: "x", count: 65)
            let refused = try await client.call(.post, "/v1/users/\(long)/confirmation", as: supervisor)
            #expect(refused.status == .badRequest && refused.json?["argument"] as? String == "user")
            let badLimit = try await client.call(.get, "/v1/notices?limit=0", as: supervisor)
            #expect(badLimit.status == .badRequest && badLimit.json?["argument"] as? String == "limit")
            let badCursor = try await client.call(.get, "/v1/notices?cursor=not-one", as: supervisor)
            #expect(badCursor.status == .badRequest && badCursor.json?["argument"] as? String == "cursor")
        }
    }

    @Test func onlySupervisorsReadNoticesAndConfirm() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            try await Self.eveAddedFromBeta(fixture)
            for role in Role.allCases where role != .supervisor {
                let session = try await client.signIn(role.rawValue)
                #expect(try await client.call(.get, "/v1/notices", as: session).status == .forbidden, "\(role)")
                let confirm = try await client.call(.post, "/v1/users/eve/confirmation", as: session)
                #expect(confirm.status == .forbidden, "\(role)")
            }
            #expect(try await ReferralHTTPWorld.audit(fixture, .userConfirm).isEmpty)
            // The service refuses on its own too.
            let admin = Actor(name: "admin", role: .admin, organisation: "Alpha", source: "test")
            await #expect(throws: ServiceError.permissionDenied("the admin role may not use USER CONFIRM")) {
                try await fixture.services.users.confirm("eve", by: admin)
            }
        }
    }
}
