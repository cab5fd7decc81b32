import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

/// The web page where a caseworker records who a case is about (`/cases/{id}/person`): the form
/// records through PersonService as PERSON SET does, and shows PERSON SET's duplicate warning —
/// the other people of the organisation this one strongly matches, by case and score, with no
/// identifier of theirs; a form without this session's CSRF field changes nothing.
@Suite struct WebPersonTests {
    @Test func recordingAPersonWhoMayAlreadyBeKnownShowsTheWarningWithTheOtherCase() async throws {
        try await WebFixture.with { fixture, client in
            let made = try await WebFixture.referrals(2, fixture: fixture)
            let (known, newcomer) = (made.caseID, made.caseID + 1)
            var caseworker = try await WebBrowser.signedIn(client, "caseworker")
            let file = try await caseworker.go(client, "/cases/\(known)")
            #expect(file.text.contains("<a id=\"record-person\" href=\"/cases/\(known)/person\">"))

            let form = try await caseworker.go(client, "/cases/\(known)/person")
            #expect(form.status == .ok)
            #expect(form.text.contains("<form id=\"person-form\" method=\"post\" action=\"/cases/\(known)/person\">"))
            let first = try await caseworker.post(
                client, "/cases/\(known)/person",
                form: [
                    ("csrf", form.csrf ?? ""), ("name", "Huda Saleh Barakat"), ("dob", "1985-03-12"),
                    ("phone", "+962 79 555 0101"), ("documents", "N123456"),
                ])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.text.contains("id=\"person-recorded\""))
            #expect(!first.text.contains("id=\"possible-duplicates\""))

            let second = try await caseworker.post(
                client, "/cases/\(newcomer)/person",
                form: [
                    ("csrf", form.csrf ?? ""), ("name", "Houda Barakat"), ("dob", "1985-03-12"),
                    ("phone", "0795550101"),
                ])
            #expect(second.status == .ok, "\(second.text)")
            #expect(second.text.contains("id=\"person-recorded\""))
            #expect(second.text.contains("<section id=\"possible-duplicates\" class=\"notice\" role=\"alert\""))
            #expect(
                second.text.contains(
                    "may be the person of case <a href=\"/cases/\(known)\" data-case=\"\(known)\">\(known) (adult-0)</a>"
                ))
            #expect(!second.text.contains("data-case=\"\(newcomer)\""))
            // The other record's identifiers are not on the page.
            for secret in ["Saleh", "N123456", "555 0101", "1985"] {
                #expect(!second.text.contains(secret), "\(secret)")
            }
            // Recorded all the same, audited as PERSON SET is.
            let session = try await client.signIn("caseworker")
            let details = try await client.call(.get, "/v1/cases/\(newcomer)/person", as: session)
            #expect(details.json?["names"] as? [String] == ["Houda Barakat"])
            #expect(
                try await WebFixture.count(
                    fixture, "SELECT count(*) FROM audit_log WHERE action = 'person.update' AND actor = 'caseworker'")
                    == 2)
        }
    }

    @Test func badInputAWrongCSRFFieldAndOtherRolesChangeNothing() async throws {
        try await WebFixture.with { fixture, client in
            let made = try await WebFixture.referrals(1, fixture: fixture)
            var caseworker = try await WebBrowser.signedIn(client, "caseworker")
            let form = try await caseworker.go(client, "/cases/\(made.caseID)/person")
            let csrf = form.csrf ?? ""
            for (fields, status, argument) in [
                ([("csrf", csrf), ("dob", "1985-02-30")], HTTPResponse.Status.badRequest, "dob"),
                ([("csrf", csrf), ("name", "")], .badRequest, "name"),
                ([("csrf", csrf), ("name", String(repeating: "a", count: 201))], .badRequest, "name"),
                ([("csrf", "not-a-token"), ("name", "Ali Hassan")], .forbidden, "Form refused"),
            ] {
                let response = try await caseworker.post(client, "/cases/\(made.caseID)/person", form: fields)
                #expect(response.status == status, "\(fields)")
                #expect(response.text.contains(argument), "\(fields): \(response.text)")
            }
            #expect(try await WebFixture.count(fixture, "SELECT count(*) FROM persons") == 0)
            // Another organisation's case: not found, nothing recorded.
            var cleo = try await WebBrowser.signedIn(client, "cleo")
            let elsewhere = try await cleo.go(client, "/cases/\(made.caseID)/person")
            let refused = try await cleo.post(
                client, "/cases/\(made.caseID)/person", form: [("csrf", elsewhere.csrf ?? ""), ("name", "Ali Hassan")])
            #expect(refused.status == .notFound)
            #expect(try await WebFixture.count(fixture, "SELECT count(*) FROM persons") == 0)
            for name in ["analyst", "policy", "admin"] {
                var browser = try await WebBrowser.signedIn(client, name)
                #expect(try await browser.go(client, "/cases/\(made.caseID)/person").status == .forbidden, "\(name)")
            }
        }
    }
}
