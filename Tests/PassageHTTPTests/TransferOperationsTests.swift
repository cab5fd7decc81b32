import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageHTTP
import Testing

/// Case transfers over HTTP (Docs/transfers.md, Docs/http-api.md "Transfers"): the same use
/// cases as the TRANSFER commands, checked end to end here for the answers' shapes and statuses.
@Suite struct TransferOperationsTests {
    static let accounts =
        HTTPFixture.standardAccounts + [
            (name: "beta", role: Role.caseworker, organisation: "Beta"),
            (name: "beta-sup", role: Role.supervisor, organisation: "Beta"),
            (name: "gamma-sup", role: Role.supervisor, organisation: "Gamma"),
        ]

    @Test func proposeAcceptMovesTheCaseAndTheOldOwnerGets404() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, caseworker, ref: "t-1")
            let path = "/v1/cases/\(caseID)/transfers"
            let noConsent = try await client.call(
                .post, path, as: caseworker, json: ["to": "Beta", "consent": false, "reason": "moved_area"])
            #expect(noConsent.status == .unprocessableContent)
            let badReason = try await client.call(
                .post, path, as: caseworker, json: ["to": "Beta", "consent": true, "reason": "bored"])
            #expect(badReason.status == .badRequest && badReason.text.contains("reason"))
            let proposed = try await client.call(
                .post, path, as: caseworker, json: ["to": "Beta", "consent": true, "reason": "moved_area"])
            #expect(proposed.status == .created, "\(proposed.text)")
            #expect(SchemaConformance.problems(proposed, operationID: "proposeTransfer") == [])
            let transfer = try #require(proposed.json?["id"] as? Int)
            #expect(proposed.json?["status"] as? String == "proposed")
            #expect(proposed.json?["from"] as? String == "Alpha" && proposed.json?["to"] as? String == "Beta")

            let gamma = try await client.signIn("gamma-sup")
            let outsider = try await client.call(.post, "/v1/transfers/\(transfer)/accept", as: gamma, json: [:])
            #expect(outsider.status == .notFound)
            let alphaSupervisor = try await client.signIn("supervisor")
            let ownSide = try await client.call(.post, "/v1/transfers/\(transfer)/accept", as: alphaSupervisor, json: [:])
            #expect(ownSide.status == .forbidden)

            let betaSupervisor = try await client.signIn("beta-sup")
            let accepted = try await client.call(.post, "/v1/transfers/\(transfer)/accept", as: betaSupervisor, json: [:])
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(SchemaConformance.problems(accepted, operationID: "acceptTransfer") == [])
            #expect(accepted.json?["status"] as? String == "accepted")
            #expect(accepted.json?["decided_by"] as? String == "beta-sup")

            #expect(try await client.call(.get, "/v1/cases/\(caseID)", as: caseworker).status == .notFound)
            let beta = try await client.signIn("beta")
            #expect(try await client.call(.get, "/v1/cases/\(caseID)", as: beta).status == .ok)
            let owners = try await client.call(.get, "/v1/cases/\(caseID)/owners", as: beta)
            #expect(SchemaConformance.problems(owners, operationID: "listCaseOwners") == [])
            let items = try #require(owners.json?["items"] as? [[String: Any]])
            #expect(items.map { $0["organisation"] as? String } == ["Alpha", "Beta"])
            #expect(items.last?["until"] is NSNull)

            let listed = try await client.call(.get, "/v1/transfers?case=\(caseID)", as: caseworker)
            #expect(SchemaConformance.problems(listed, operationID: "listTransfers") == [])
            #expect((listed.json?["items"] as? [[String: Any]])?.first?["status"] as? String == "accepted")
            #expect(try await client.call(.get, "/v1/transfers?case=x", as: caseworker).status == .badRequest)
        }
    }

    @Test func requestGrantDeclineAndCancel() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, caseworker, ref: "t-2")
            let beta = try await client.signIn("beta")
            let requested = try await client.call(
                .post, "/v1/transfer-requests", as: beta,
                json: ["case": Int(caseID), "from": "Alpha", "reason": "specialised_services"])
            #expect(requested.status == .created, "\(requested.text)")
            #expect(requested.json?["status"] as? String == "requested")
            let transfer = try #require(requested.json?["id"] as? Int)
            let supervisor = try await client.signIn("supervisor")
            let declined = try await client.call(
                .post, "/v1/transfers/\(transfer)/decline", as: supervisor, json: ["reason": "not_eligible"])
            #expect(declined.status == .ok && declined.json?["status"] as? String == "declined", "\(declined.text)")
            #expect(
                try await client.call(.post, "/v1/transfers/\(transfer)/accept", as: supervisor, json: ["consent": true])
                    .status == .conflict)

            let again = try await client.call(
                .post, "/v1/transfer-requests", as: beta,
                json: ["case": Int(caseID), "from": "Alpha", "reason": "capacity"])
            let second = try #require(again.json?["id"] as? Int)
            #expect(
                try await client.call(.post, "/v1/transfers/\(second)/accept", as: supervisor, json: [:]).status
                    == .unprocessableContent)
            #expect(try await client.call(.post, "/v1/transfers/\(second)/cancel", as: caseworker, json: [:]).status == .badRequest)
            let cancelled = try await client.call(
                .post, "/v1/transfers/\(second)/cancel", as: caseworker, json: ["reason": "consent_withdrawn"])
            #expect(cancelled.status == .ok && cancelled.json?["status"] as? String == "cancelled")
            #expect(try await client.call(.get, "/v1/cases/\(caseID)", as: caseworker).status == .ok)
        }
    }

    @Test func theListIsPagedByLimitAndCursor() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { _, client in
            let caseworker = try await client.signIn("caseworker")
            var proposed: [Int] = []
            for ref in ["p-1", "p-2", "p-3"] {
                let caseID = try await CaseHTTP.open(client, caseworker, ref: ref)
                let response = try await client.call(
                    .post, "/v1/cases/\(caseID)/transfers", as: caseworker,
                    json: ["to": "Beta", "consent": true, "reason": "moved_area"])
                proposed.append(try #require(response.json?["id"] as? Int))
            }
            let first = try await client.call(.get, "/v1/transfers?limit=2", as: caseworker)
            #expect(SchemaConformance.problems(first, operationID: "listTransfers") == [])
            #expect((first.json?["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == Array(proposed.prefix(2)))
            let cursor = try #require(first.json?["next_cursor"] as? String)
            let second = try await client.call(.get, "/v1/transfers?limit=2&cursor=\(cursor)", as: caseworker)
            #expect((second.json?["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [proposed[2]])
            #expect(second.json?["next_cursor"] is NSNull)
            // The receiving side pages the same transfers; a page without limit is the default size.
            let beta = try await client.signIn("beta")
            let all = try await client.call(.get, "/v1/transfers", as: beta)
            #expect((all.json?["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == proposed)
            #expect(all.json?["next_cursor"] is NSNull)
            for bad in ["limit=0", "limit=201", "cursor=not-ours"] {
                let refused = try await client.call(.get, "/v1/transfers?\(bad)", as: caseworker)
                #expect(refused.status == .badRequest, "\(bad)")
            }
        }
    }
}

