import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

/// Issue 25 over the API: `GET /v1/providers/{provider}` with its locations, phones and contacts
/// (casework and administrators), `POST …/locations|phones|contacts` and `DELETE …/{number}`
/// (administrators): 201 with the provider as it now is, 400 naming the field, 404, 409, audited.
@Suite struct ProviderReachOperationsTests {
    @Test func anAdministratorSetsTheReachAndACaseworkerReadsIt() async throws {
        try await HTTPFixture.with { fixture, client in
            let admin = try await client.signIn("admin")
            let made = try await client.call(
                .post, "/v1/providers", as: admin,
                json: ["name": "clinic", "services": ["health"], "areas": ["CO-ANT"]])
            let id = try #require(made.json?["provider"] as? Int)

            let location = try await client.call(
                .post, "/v1/providers/\(id)/locations", as: admin,
                json: [
                    "name": "Sede", "street": "Calle 10", "city": "Medellín", "region": "Antioquia",
                    "postal_code": "050021", "country": "CO", "latitude": 6.25184, "longitude": -75.5,
                ])
            #expect(location.status == .created, "\(location.text)")
            #expect(location.headers[.location] == "/v1/providers/\(id)")
            #expect(SchemaConformance.problems(location, operationID: "addProviderLocation") == [])
            let place = try #require((location.json?["locations"] as? [[String: Any]])?.first)
            let number = try #require(place["location"] as? Int)
            #expect((place["address"] as? [String: Any])?["postal_code"] as? String == "050021")
            #expect(place["latitude"] as? Double == 6.25184)

            let phone = try await client.call(
                .post, "/v1/providers/\(id)/phones", as: admin,
                json: ["number": "+57 604 444 1234", "extension": 12, "type": "voice", "location": number])
            #expect(phone.status == .created, "\(phone.text)")
            let contact = try await client.call(
                .post, "/v1/providers/\(id)/contacts", as: admin,
                json: ["name": "Ana Gómez", "email": "ana@clinic.example.org"])
            #expect(contact.status == .created, "\(contact.text)")

            let caseworker = try await client.signIn("caseworker")
            let shown = try await client.call(.get, "/v1/providers/\(id)", as: caseworker)
            #expect(shown.status == .ok)
            #expect(SchemaConformance.problems(shown, operationID: "showProvider") == [])
            let phones = try #require(shown.json?["phones"] as? [[String: Any]])
            #expect(phones.first?["number"] as? String == "+57 604 444 1234")
            #expect(phones.first?["location"] as? Int == number)
            #expect(
                (shown.json?["contacts"] as? [[String: Any]])?.first?["email"] as? String == "ana@clinic.example.org")
            #expect(
                try await client.call(.post, "/v1/providers/\(id)/phones", as: caseworker, json: ["number": "604 444"])
                    .status == .forbidden)
            #expect(
                try await client.call(.get, "/v1/providers/\(id)", as: try await client.signIn("analyst")).status
                    == .forbidden)

            // Refused values: 400 naming the field; nothing written.
            for (path, body, field) in [
                ("phones", ["number": "call us"] as [String: Any], "number"),
                ("phones", ["number": "604 444", "location": 999], "location"),
                ("contacts", ["email": "ana@"], "email"),
                ("locations", ["name": "X", "latitude": 91, "longitude": 0], "latitude"),
                ("locations", ["name": "X", "latitude": 6.1234567, "longitude": 0], "latitude"),
                ("locations", ["street": "Calle 1"], "city"),
            ] {
                let refused = try await client.call(.post, "/v1/providers/\(id)/\(path)", as: admin, json: body)
                #expect(refused.status == .badRequest, "\(path) \(body) → \(refused.status)")
                #expect(refused.text.contains(field), "\(refused.text)")
            }
            #expect(
                try await client.call(.post, "/v1/providers/999/contacts", as: admin, json: ["name": "x"]).status
                    == .notFound)
            #expect(try await client.call(.get, "/v1/providers/999", as: caseworker).status == .notFound)

            // A location with a phone at it: 409 until the phone goes.
            #expect(
                try await client.call(.delete, "/v1/providers/\(id)/locations/\(number)", as: admin).status == .conflict
            )
            let phoneNumber = try #require(phones.first?["phone"] as? Int)
            #expect(
                try await client.call(.delete, "/v1/providers/\(id)/phones/\(phoneNumber)", as: admin).status
                    == .noContent)
            #expect(
                try await client.call(.delete, "/v1/providers/\(id)/phones/\(phoneNumber)", as: admin).status
                    == .notFound)
            #expect(
                try await client.call(.delete, "/v1/providers/\(id)/locations/\(number)", as: admin).status
                    == .noContent)
            let after = try await client.call(.get, "/v1/providers/\(id)", as: caseworker)
            #expect(
                (after.json?["locations"] as? [Any])?.isEmpty == true
                    && (after.json?["phones"] as? [Any])?.isEmpty == true)

            #expect(
                try await ReferralHTTPWorld.audit(fixture, .providerPhoneAdd) == [
                    ["admin", "provider:\(id)", "phone \(phoneNumber)"]
                ])
            #expect(try await ReferralHTTPWorld.audit(fixture, .providerLocationRemove).count == 1)
        }
    }

    @Test func theProviderPageShowsHowToReachIt() async throws {
        try await WebFixture.with { fixture, client in
            let made = try await WebFixture.referrals(1, fixture: fixture)
            let admin = try await client.signIn("admin")
            _ = try await client.call(
                .post, "/v1/providers/1/phones", as: admin, json: ["number": "+57 604 444 1234", "extension": 12])
            _ = try await client.call(
                .post, "/v1/providers/1/contacts", as: admin,
                json: ["name": "<b>Ana</b>", "email": "ana@clinic.example.org"])
            var caseworker = try await WebBrowser.signedIn(client, "caseworker")
            let file = try await caseworker.go(client, "/cases/\(made.caseID)")
            #expect(file.text.contains("<a href=\"/providers/1\">clinic</a>"))
            let page = try await caseworker.go(client, "/providers/1")
            #expect(page.status == .ok)
            #expect(page.text.contains("<a href=\"tel:+576044441234;ext=12\">+57 604 444 1234</a>"), "\(page.text)")
            #expect(page.text.contains("<a href=\"mailto:ana@clinic.example.org\">"))
            #expect(page.text.contains("&lt;b&gt;Ana&lt;/b&gt;") && !page.text.contains("<b>Ana</b>"))
            #expect(try await caseworker.go(client, "/providers/999").status == .notFound)
            var analyst = try await WebBrowser.signedIn(client, "analyst")
            #expect(try await analyst.go(client, "/providers/1").status == .forbidden)
        }
    }
}
