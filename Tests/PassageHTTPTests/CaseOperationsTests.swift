import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PassageCore
import PassageHTTP
import PassageServices
import Postgres
import Testing

/// What the case, person and need operations' tests share: the standard accounts of "Alpha"
/// plus a caseworker of "Beta", a way to open a case over HTTP, and the audit log as rows.
enum CaseHTTP {
    static let accounts = HTTPFixture.standardAccounts + [(name: "beta", role: Role.caseworker, organisation: "Beta")]

    /// Forced out of Somalia by armed conflict, now in Kenya (applies OAU 1969 art. I(2)):
    /// `passage classify` gives refugee_asylum/refugee on oau-1969-I2, note no-claim-lodged.
    static func facts(_ ref: String) -> [String: Any] {
        [
            "ref": ref, "current_country": "KE", "age": 30, "nationality": "SO", "causes": ["armed_conflict"],
            "forced": true, "left_home": true, "crossed_border": true,
        ]
    }

    /// Opens a case as `session` and returns its id.
    static func open(_ client: any TestClientProtocol, _ session: SignedIn, ref: String) async throws -> Int64 {
        let response = try await client.call(.post, "/v1/cases", as: session, json: facts(ref))
        guard response.status == .created, let id = response.json?["case"] as? Int else {
            throw HTTPTestError(description: "could not open \(ref): \(response.status) \(response.text)")
        }
        return Int64(id)
    }

    /// A body sent as written (not re-serialised), with `headers`.
    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, as session: SignedIn,
        text: String, headers: [HTTPField.Name: String] = [:]
    ) async throws -> TestResponse {
        var fields = session.headers(headers)
        fields[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: method, headers: fields, body: ByteBuffer(string: text))
    }

    /// The audit entries of `action` as [actor, subject, detail], oldest first.
    static func audit(_ fixture: HTTPFixture, _ action: AuditAction) async throws -> [[String]] {
        try await fixture.pool.withConnection { connection in
            try connection.query(
                "SELECT actor, subject, detail FROM audit_log WHERE action = \(action.rawValue) ORDER BY id"
            ).map { row in
                [
                    try row.decode(String.self, at: 0), try row.decode(String.self, at: 1),
                    try row.decode(String.self, at: 2),
                ]
            }
        }
    }
}

@Suite struct CaseOperationsTests {
    @Test func openingACaseAnswers201WithLocationETagAndItsClassificationWithItsLegalBasis() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            // Pretty-printed, as a person or a tool may send it: the contract's decoder reads it.
            let body = """
                {
                  "ref": "c-1", "current_country": "KE", "age": 30, "nationality": "SO",
                  "causes": ["armed_conflict"], "forced": true, "left_home": true, "crossed_border": true
                }
                """
            let response = try await CaseHTTP.send(client, .post, "/v1/cases", as: session, text: body)
            #expect(response.status == .created, "\(response.text)")
            let json = try #require(response.json)
            let id = try #require(json["case"] as? Int)
            #expect(SchemaConformance.problems(response, operationID: "openCase") == [])
            #expect(response.headers[.location] == "/v1/cases/\(id)")
            #expect(response.headers[.eTag] == "\"v1\"")
            #expect(json["ref"] as? String == "c-1")
            #expect(json["version"] as? Int == 1)
            #expect(json["caseworker"] as? String == "caseworker")
            #expect(json["primary"] as? String == "refugee_asylum")
            #expect(json["overridden"] as? Bool == false)
            #expect(json["review"] as? Bool == false)
            let facts = try #require(json["facts"] as? [String: Any])
            #expect(facts["age"] as? Int == 30)
            #expect(facts["causes"] as? [String] == ["armed_conflict"])
            // The classification is the contract's result object, not a string holding it.
            let classification = try #require(json["classification"] as? [String: Any])
            #expect(classification["primary"] as? String == "refugee_asylum")
            #expect(classification["categories"] as? [String] == ["refugee_asylum"])
            #expect((classification["basis"] as? [String: [String]])?["refugee_asylum"] == ["oau-1969-I2"])
            #expect((classification["subcategories"] as? [String: String])?["refugee_asylum"] == "refugee")
            #expect(classification["notes"] as? [String] == ["no-claim-lodged"])
            #expect(classification["regular"] is NSNull)
            // CASE NEW's audit entry, by the caller.
            #expect(
                try await CaseHTTP.audit(fixture, .caseCreate).map { Array($0.prefix(2)) } == [
                    ["caseworker", "case:\(id)"]
                ])
        }
    }

    @Test func badFactsAre400NamingTheFactAndWriteNothing() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let refused: [(String, String)] = [
                (#"{"ref":"c-1","current_country":"KE","age":200}"#, "age"),
                (#"{"ref":"c-1"}"#, "current_country"),
                (#"{"ref":"c-1","current_country":"KE","colour":"red"}"#, "colour"),
                (#"{"ref":"c-1","current_country":"XX"}"#, "current_country"),
                (#"{"ref":"c-1","current_country":"KE","causes":["work","work"]}"#, "causes"),
                ("[1,2]", "facts"),
                ("not json", "facts"),
            ]
            for (body, argument) in refused {
                let response = try await CaseHTTP.send(client, .post, "/v1/cases", as: session, text: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.json?["argument"] as? String == argument, "\(body): \(response.text)")
            }
            #expect(try await CaseHTTP.audit(fixture, .caseCreate).isEmpty)
            // The same ref twice in one organisation conflicts.
            _ = try await CaseHTTP.open(client, session, ref: "c-1")
            let again = try await client.call(.post, "/v1/cases", as: session, json: CaseHTTP.facts("c-1"))
            #expect(again.status == .conflict)
        }
    }

    @Test func aCaseFileHasHistoryNeedsAndReferralsAndIsAnAuditedRead() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, session, ref: "c-1")
            let need = try await client.call(
                .post, "/v1/cases/\(id)/needs", as: session, json: ["code": "LP", "priority": "urgent"])
            #expect(need.status == .created)
            let response = try await client.call(.get, "/v1/cases/\(id)", as: session)
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"v1\"")
            #expect(response.headers[.cacheControl] == "no-store")
            let json = try #require(response.json)
            #expect(SchemaConformance.problems(response, operationID: "showCase") == [])
            #expect(json["case"] as? Int == Int(id))
            #expect((json["classification"] as? [String: Any])?["primary"] as? String == "refugee_asylum")
            let history = try #require(json["history"] as? [[String: Any]])
            #expect(history.count == 1)
            #expect(history.first?["source"] as? String == "rule")
            #expect(history.first?["classifier_version"] as? String == "passage-classifier/2")
            #expect((history.first?["result"] as? [String: Any])?["primary"] as? String == "refugee_asylum")
            let needs = try #require(json["needs"] as? [[String: Any]])
            #expect(needs.map { $0["code"] as? String } == ["LP"])
            #expect(needs.first?["priority"] as? String == "urgent")
            #expect((json["referrals"] as? [Any])?.isEmpty == true)
            #expect(
                try await CaseHTTP.audit(fixture, .caseRead).map { Array($0.prefix(2)) } == [
                    ["caseworker", "case:\(id)"]
                ])
        }
    }

    @Test func anotherOrganisationsCaseIsNotFoundAndAnUnknownOneToo() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let alpha = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, alpha, ref: "c-1")
            let beta = try await client.signIn("beta")
            let read = try await client.call(.get, "/v1/cases/\(id)", as: beta)
            #expect(read.status == .notFound)
            #expect(read.headers[.contentType] == "application/problem+json")
            let change = try await client.call(
                .patch, "/v1/cases/\(id)", as: beta, json: ["age": 31], headers: [.ifMatch: "\"v1\""])
            #expect(change.status == .notFound)
            #expect(try await client.call(.get, "/v1/cases/\(id + 1000)", as: alpha).status == .notFound)
            let bad = try await client.call(.get, "/v1/cases/abc", as: alpha)
            #expect(bad.status == .badRequest)
            #expect(bad.json?["argument"] as? String == "case")
            // Beta's list does not show Alpha's case.
            let list = try await client.call(.get, "/v1/cases", as: beta)
            #expect((list.json?["items"] as? [Any])?.isEmpty == true)
            #expect(try await CaseHTTP.audit(fixture, .caseUpdate).isEmpty)
        }
    }

    @Test func changingFactsNeedsIfMatchAndAStaleVersionIs412() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, session, ref: "c-1")
            let missing = try await client.call(.patch, "/v1/cases/\(id)", as: session, json: ["age": 31])
            #expect(missing.status == .preconditionRequired)
            #expect(missing.json?["type"] as? String == "/problems/if-match-required")
            let malformed = try await client.call(
                .patch, "/v1/cases/\(id)", as: session, json: ["age": 31], headers: [.ifMatch: "v1"])
            #expect(malformed.status == .badRequest)
            #expect(malformed.json?["argument"] as? String == "If-Match")

            let changed = try await client.call(
                .patch, "/v1/cases/\(id)", as: session, json: ["age": 31, "asylum": "applied"],
                headers: [.ifMatch: "\"v1\""])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.headers[.eTag] == "\"v2\"")
            let json = try #require(changed.json)
            #expect(SchemaConformance.problems(changed, operationID: "changeCase") == [])
            #expect(json["version"] as? Int == 2)
            let facts = try #require(json["facts"] as? [String: Any])
            #expect(facts["age"] as? Int == 31)
            // The facts it did not name stay.
            #expect(facts["nationality"] as? String == "SO")
            // Classified again: the claim is now the basis.
            let classification = try #require(json["classification"] as? [String: Any])
            #expect((classification["subcategories"] as? [String: String])?["refugee_asylum"] == "asylum_seeker")

            let stale = try await client.call(
                .patch, "/v1/cases/\(id)", as: session, json: ["age": 40], headers: [.ifMatch: "\"v1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.json?["type"] as? String == "/problems/stale-version")
            let bad = try await client.call(
                .patch, "/v1/cases/\(id)", as: session, json: ["age": -1], headers: [.ifMatch: "\"v2\""])
            #expect(bad.status == .badRequest)
            #expect(bad.json?["argument"] as? String == "age")
            // Neither the stale nor the bad change was written.
            let now = try await client.call(.get, "/v1/cases/\(id)", as: session)
            #expect(now.json?["version"] as? Int == 2)
            #expect((now.json?["facts"] as? [String: Any])?["age"] as? Int == 31)
            #expect(
                try await CaseHTTP.audit(fixture, .caseUpdate) == [["caseworker", "case:\(id)", "version 2"]])
        }
    }

    @Test func aSupervisorOverridesTheCategoryAndTheRuleResultStaysInTheHistory() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, caseworker, ref: "c-1")
            let body: [String: Any] = ["category": "idp", "reason": "displaced inside Kenya, per the interview"]
            let refused = try await client.call(.post, "/v1/cases/\(id)/override", as: caseworker, json: body)
            #expect(refused.status == .forbidden)

            let supervisor = try await client.signIn("supervisor")
            let bad = try await client.call(
                .post, "/v1/cases/\(id)/override", as: supervisor, json: ["category": "tourist", "reason": "x"])
            #expect(bad.status == .badRequest)
            #expect(bad.json?["argument"] as? String == "category")
            let noReason = try await client.call(
                .post, "/v1/cases/\(id)/override", as: supervisor, json: ["category": "idp"])
            #expect(noReason.json?["argument"] as? String == "reason")
            let blank = try await client.call(
                .post, "/v1/cases/\(id)/override", as: supervisor, json: ["category": "idp", "reason": "  "])
            #expect(blank.status == .badRequest)
            #expect(blank.json?["argument"] as? String == "reason")

            let response = try await client.call(.post, "/v1/cases/\(id)/override", as: supervisor, json: body)
            #expect(response.status == .ok, "\(response.text)")
            let json = try #require(response.json)
            #expect(json["primary"] as? String == "idp")
            #expect(SchemaConformance.problems(response, operationID: "overrideCategory") == [])
            #expect(json["overridden"] as? Bool == true)
            #expect(json["rule_primary"] as? String == "refugee_asylum")
            #expect(json["override_differs_from_rule"] as? Bool == true)
            #expect(response.headers[.eTag] == "\"v\(json["version"] as? Int ?? 0)\"")

            let file = try await client.call(.get, "/v1/cases/\(id)", as: supervisor)
            let history = try #require(file.json?["history"] as? [[String: Any]])
            #expect(history.map { $0["source"] as? String } == ["rule", "override"])
            #expect(history.last?["reason"] as? String == "displaced inside Kenya, per the interview")
            #expect(history.last?["decided_by"] as? String == "supervisor")
            #expect(history.last?["result"] is NSNull)
            #expect(try await CaseHTTP.audit(fixture, .caseOverride) == [["supervisor", "case:\(id)", "idp"]])
        }
    }

    @Test func listsPageByCursorAndFilter() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            var ids: [Int64] = []
            for ref in ["c-1", "c-2", "c-3"] { ids.append(try await CaseHTTP.open(client, session, ref: ref)) }
            let first = try await client.call(.get, "/v1/cases?limit=2", as: session)
            #expect(first.status == .ok)
            #expect(SchemaConformance.problems(first, operationID: "listCases") == [])
            let items = try #require(first.json?["items"] as? [[String: Any]])
            #expect(items.map { $0["case"] as? Int } == ids.prefix(2).map { Int($0) })
            #expect(items.first?["ref"] as? String == "c-1")
            #expect(items.first?["primary"] as? String == "refugee_asylum")
            #expect(items.first?["review"] as? Bool == false)
            #expect(items.first?["version"] as? Int == 1)
            let cursor = try #require(first.json?["next_cursor"] as? String)
            let second = try await client.call(.get, "/v1/cases?limit=2&cursor=\(cursor)", as: session)
            #expect((second.json?["items"] as? [[String: Any]])?.map { $0["case"] as? Int } == [Int(ids[2])])
            #expect(second.json?["next_cursor"] is NSNull)

            let idp = try await client.call(.get, "/v1/cases?category=idp", as: session)
            #expect((idp.json?["items"] as? [Any])?.isEmpty == true)
            let refugees = try await client.call(.get, "/v1/cases?category=refugee_asylum&review=false", as: session)
            #expect((refugees.json?["items"] as? [Any])?.count == 3)
            let review = try await client.call(.get, "/v1/cases?review=true", as: session)
            #expect((review.json?["items"] as? [Any])?.isEmpty == true)

            for (query, argument) in [
                ("category=tourist", "category"), ("review=maybe", "review"), ("limit=0", "limit"),
                ("limit=201", "limit"), ("cursor=abc", "cursor"),
            ] {
                let response = try await client.call(.get, "/v1/cases?\(query)", as: session)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.json?["argument"] as? String == argument, "\(query): \(response.text)")
            }
            let analyst = try await client.signIn("analyst")
            #expect(try await client.call(.get, "/v1/cases", as: analyst).status == .forbidden)
            // Each list is one case.list entry with its count, as the console writes it.
            #expect(
                try await CaseHTTP.audit(fixture, .caseList).map { $0[2] } == [
                    "2 cases", "1 cases", "0 cases", "3 cases", "0 cases",
                ])
        }
    }

    @Test func theRolesOfTheCaseOperationsAreTheConsoles() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { _, client in
            for role in Role.allCases {
                let session = try await client.signIn(role.rawValue)
                let response = try await client.call(.post, "/v1/cases", as: session, json: CaseHTTP.facts("r-\(role)"))
                #expect(
                    (response.status == .created) == UseCase.openCase.allows(role),
                    "\(role.rawValue): \(response.status)")
                if !UseCase.openCase.allows(role) { #expect(response.status == .forbidden) }
            }
        }
    }
}
