import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageHTTP
import Testing

@Suite struct NeedOperationsTests {
    @Test func addingANeedAnswers201WithItsETagAndListingShowsIt() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, session, ref: "n-1")
            let response = try await client.call(
                .post, "/v1/cases/\(caseID)/needs", as: session,
                json: ["code": "LP", "priority": "urgent", "note": "asked for legal advice"])
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.eTag] == "\"v1\"")
            let json = try #require(response.json)
            #expect(SchemaConformance.problems(response, operationID: "addNeed") == [])
            let needID = try #require(json["need"] as? Int)
            #expect(json["case"] as? Int == Int(caseID))
            #expect(json["code"] as? String == "LP")
            #expect(json["priority"] as? String == "urgent")
            #expect(json["status"] as? String == "open")
            #expect(json["version"] as? Int == 1)
            #expect(json["identified_by"] as? String == "caseworker")
            #expect(json["note"] as? String == "asked for legal advice")
            #expect((json["meaning"] as? String)?.isEmpty == false)
            let plain = try await client.call(.post, "/v1/cases/\(caseID)/needs", as: session, json: ["code": "SM"])
            #expect(plain.json?["priority"] as? String == "normal")
            #expect(plain.json?["note"] is NSNull)

            let list = try await client.call(.get, "/v1/cases/\(caseID)/needs", as: session)
            #expect(list.status == .ok)
            #expect(SchemaConformance.problems(list, operationID: "listNeeds") == [])
            let items = try #require(list.json?["items"] as? [[String: Any]])
            #expect(items.map { $0["code"] as? String } == ["LP", "SM"])
            #expect(items.first?["need"] as? Int == needID)
            #expect(list.json?["next_cursor"] is NSNull)
            #expect(
                try await CaseHTTP.audit(fixture, .needAdd).first == [
                    "caseworker", "case:\(caseID)", "need \(needID) LP urgent",
                ])
            #expect(try await CaseHTTP.audit(fixture, .needList) == [["caseworker", "case:\(caseID)", "2 needs"]])
        }
    }

    @Test func aCasesNeedsComeInCursorPages() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("supervisor")
            let caseID = try await CaseHTTP.open(client, session, ref: "n-1")
            var ids: [Int] = []
            for code in ["LP", "SM", "DS"] {
                let added = try await client.call(.post, "/v1/cases/\(caseID)/needs", as: session, json: ["code": code])
                ids.append(try #require(added.json?["need"] as? Int, "\(code): \(added.text)"))
            }
            let first = try await client.call(.get, "/v1/cases/\(caseID)/needs?limit=2", as: session)
            #expect((first.json?["items"] as? [[String: Any]])?.map { $0["need"] as? Int } == ids.prefix(2).map { $0 })
            let cursor = try #require(first.json?["next_cursor"] as? String)
            let second = try await client.call(.get, "/v1/cases/\(caseID)/needs?limit=2&cursor=\(cursor)", as: session)
            #expect((second.json?["items"] as? [[String: Any]])?.map { $0["need"] as? Int } == [ids[2]])
            #expect(second.json?["next_cursor"] is NSNull)
            let bad = try await client.call(.get, "/v1/cases/\(caseID)/needs?limit=500", as: session)
            #expect(bad.json?["argument"] as? String == "limit")
            // A page past the last need of an existing case is empty, not "not found".
            let past = try await client.call(
                .get, "/v1/cases/\(caseID)/needs?cursor=\(ListCursor.text(after: Int64(ids[2])))", as: session)
            #expect(past.status == .ok)
            #expect((past.json?["items"] as? [Any])?.isEmpty == true)
            #expect(try await CaseHTTP.audit(fixture, .needList).map { $0[2] } == ["2 needs", "1 needs", "0 needs"])
        }
    }

    @Test func badNeedsAre400NamingTheFieldAndAnotherOrganisationsCaseIs404() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, session, ref: "n-1")
            let refused: [([String: Any], String)] = [
                (["code": "XX"], "code"), (["code": "not a code at all"], "code"), ([:], "code"),
                (["code": "LP", "priority": "soon"], "priority"), (["code": 7], "code"),
                (["code": "LP", "note": String(repeating: "n", count: 2001)], "note"),
            ]
            for (body, argument) in refused {
                let response = try await client.call(.post, "/v1/cases/\(caseID)/needs", as: session, json: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect(response.json?["argument"] as? String == argument, "\(body): \(response.text)")
            }
            let beta = try await client.signIn("beta")
            #expect(
                try await client.call(.post, "/v1/cases/\(caseID)/needs", as: beta, json: ["code": "LP"]).status
                    == .notFound)
            #expect(try await client.call(.get, "/v1/cases/\(caseID)/needs", as: beta).status == .notFound)
            let analyst = try await client.signIn("analyst")
            #expect(try await client.call(.get, "/v1/cases/\(caseID)/needs", as: analyst).status == .forbidden)
            #expect(try await CaseHTTP.audit(fixture, .needAdd).isEmpty)
        }
    }

    @Test func aStatusChangeNeedsIfMatchAndAStaleVersionIs412() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, session, ref: "n-1")
            let added = try await client.call(.post, "/v1/cases/\(caseID)/needs", as: session, json: ["code": "LP"])
            let needID = try #require(added.json?["need"] as? Int)
            let path = "/v1/needs/\(needID)"

            let missing = try await client.call(.patch, path, as: session, json: ["status": "met"])
            #expect(missing.status == .preconditionRequired)
            let bad = try await client.call(
                .patch, path, as: session, json: ["status": "done"], headers: [.ifMatch: "\"v1\""])
            #expect(bad.status == .badRequest)
            #expect(bad.json?["argument"] as? String == "status")

            let met = try await client.call(
                .patch, path, as: session, json: ["status": "met"], headers: [.ifMatch: "\"v1\""])
            #expect(met.status == .ok, "\(met.text)")
            #expect(SchemaConformance.problems(met, operationID: "setNeedStatus") == [])
            #expect(met.headers[.eTag] == "\"v2\"")
            #expect(met.json?["status"] as? String == "met")
            #expect(met.json?["version"] as? Int == 2)

            let stale = try await client.call(
                .patch, path, as: session, json: ["status": "open"], headers: [.ifMatch: "\"v1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.json?["type"] as? String == "/problems/stale-version")
            let same = try await client.call(
                .patch, path, as: session, json: ["status": "met"], headers: [.ifMatch: "\"v2\""])
            #expect(same.status == .conflict)

            let beta = try await client.signIn("beta")
            let other = try await client.call(
                .patch, path, as: beta, json: ["status": "withdrawn"], headers: [.ifMatch: "\"v2\""])
            #expect(other.status == .notFound)
            #expect(
                try await client.call(
                    .patch, "/v1/needs/0", as: session, json: ["status": "met"], headers: [.ifMatch: "\"v2\""]
                ).json?["argument"] as? String == "need")
            #expect(
                try await CaseHTTP.audit(fixture, .needStatus) == [
                    ["caseworker", "case:\(caseID)", "need \(needID) met version 2"]
                ])
        }
    }
}
