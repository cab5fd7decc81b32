import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

@Suite struct ProviderOperationsTests {
    static var clinic: [String: Any] {
        [
            "name": "clinic", "services": ["legal_assistance", "health"], "areas": ["CO-ANT", "CO-BOL"],
            "capacity": 10,
        ]
    }

    @Test func anAdministratorRegistersAProviderAndAttachesToIt() async throws {
        try await HTTPFixture.with { fixture, client in
            let admin = try await client.signIn("admin")
            let made = try await client.call(.post, "/v1/providers", as: admin, json: Self.clinic)
            #expect(made.status == .created)
            #expect(SchemaConformance.problems(made, operationID: "registerProvider") == [])
            let provider = try #require(made.json)
            let id = try #require(provider["provider"] as? Int)
            #expect(provider["name"] as? String == "clinic")
            #expect(provider["status"] as? String == "active")
            #expect(provider["services"] as? [String] == ["health", "legal_assistance"])
            #expect(provider["areas"] as? [String] == ["CO-ANT", "CO-BOL"])
            #expect(provider["capacity"] as? Int == 10)

            // The same organisation again: its new services are attached, 200, the same provider.
            let attached = try await client.call(
                .post, "/v1/providers", as: admin,
                json: ["name": "clinic", "services": ["psychosocial"], "areas": ["CO-ANT"]])
            #expect(attached.status == .ok)
            #expect(SchemaConformance.problems(attached, operationID: "registerProvider") == [])
            #expect(attached.json?["provider"] as? Int == id)
            #expect(attached.json?["services"] as? [String] == ["health", "legal_assistance", "psychosocial"])
            #expect(attached.json?["capacity"] as? Int == 10)
            #expect(
                try await ReferralHTTPWorld.audit(fixture, .providerAdd) == [
                    ["admin", "provider:\(id)", "clinic: services legal_assistance,health areas CO-ANT,CO-BOL"]
                ])
            #expect(try await ReferralHTTPWorld.audit(fixture, .providerAttach).map { $0[1] } == ["provider:\(id)"])
        }
    }

    @Test func badProvidersAreNamedAndNothingIsWritten() async throws {
        try await HTTPFixture.with { fixture, client in
            let admin = try await client.signIn("admin")
            for (change, argument) in [
                (["services": ["health", "magic"]], "services.1"), (["areas": ["Antioquia"]], "areas.0"),
                (["capacity": -1], "capacity"), (["name": "  "], "name"), (["areas": "CO-ANT"], "areas"),
            ] as [([String: Any], String)] {
                let body = Self.clinic.merging(change) { $1 }
                let refused = try await client.call(.post, "/v1/providers", as: admin, json: body)
                #expect(refused.status == .badRequest, "\(change)")
                #expect(refused.json?["argument"] as? String == argument, "\(change)")
            }
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM providers") == 0)
        }
    }

    @Test func theDirectoryFiltersByServiceAndAreaPageByPage() async throws {
        try await HTTPFixture.with { fixture, client in
            let admin = try await client.signIn("admin")
            var ids: [Int] = []
            for (name, service, area) in [
                ("clinic", "health", "CO-ANT"), ("legal aid", "legal_assistance", "CO-ANT"),
                ("shelter home", "safe_shelter", "PE-LIM"),
            ] {
                let made = try await client.call(
                    .post, "/v1/providers", as: admin, json: ["name": name, "services": [service], "areas": [area]])
                ids.append(try #require(made.json?["provider"] as? Int))
            }
            let caseworker = try await client.signIn("caseworker")
            func listed(_ query: String) async throws -> [Int] {
                let answer = try await client.call(.get, "/v1/providers\(query)", as: caseworker)
                #expect(answer.status == .ok, "\(query)")
                #expect(SchemaConformance.problems(answer, operationID: "listProviders") == [], "\(query)")
                return (answer.json?["items"] as? [[String: Any]])?.compactMap { $0["provider"] as? Int } ?? []
            }
            #expect(try await listed("") == ids)
            #expect(try await listed("?service=health") == [ids[0]])
            #expect(try await listed("?area=CO") == [ids[0], ids[1]])
            #expect(try await listed("?area=PE-LIM&service=safe_shelter") == [ids[2]])

            let page = try #require(try await client.call(.get, "/v1/providers?limit=2", as: caseworker).json)
            #expect((page["items"] as? [[String: Any]])?.compactMap { $0["provider"] as? Int } == [ids[0], ids[1]])
            let cursor = try #require(page["next_cursor"] as? String)
            let rest = try #require(
                try await client.call(.get, "/v1/providers?limit=2&cursor=\(cursor)", as: caseworker).json)
            #expect((rest["items"] as? [[String: Any]])?.compactMap { $0["provider"] as? Int } == [ids[2]])
            #expect(rest["next_cursor"] is NSNull)

            let badArea = try await client.call(.get, "/v1/providers?area=Antioquia", as: caseworker)
            #expect(badArea.status == .badRequest && badArea.json?["argument"] as? String == "area")
            let badService = try await client.call(.get, "/v1/providers?service=magic", as: caseworker)
            #expect(badService.status == .badRequest && badService.json?["argument"] as? String == "service")
        }
    }

    @Test func rolesFollowTheConsole() async throws {
        try await HTTPFixture.with { fixture, client in
            for role in Role.allCases {
                let session = try await client.signIn(role.rawValue)
                let list = try await client.call(.get, "/v1/providers", as: session)
                #expect(list.status == (UseCase.listProviders.allows(role) ? .ok : .forbidden), "\(role)")
                let add = try await client.call(
                    .post, "/v1/providers", as: session,
                    json: ["name": "p-\(role.rawValue)", "services": ["health"], "areas": ["CO-ANT"]])
                #expect(add.status == (role == .admin ? .created : .forbidden), "\(role)")
            }
            // The service refuses on its own too.
            let caseworker = Actor(name: "caseworker", role: .caseworker, organisation: "Alpha", source: "test")
            await #expect(throws: ServiceError.permissionDenied("the caseworker role may not use PROVIDER ADD")) {
                _ = try await fixture.services.providers.register(
                    NewProvider(name: "sneaky", services: ["health"], areas: ["CO-ANT"]), by: caseworker)
            }
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM providers") == 1)
        }
    }
}
