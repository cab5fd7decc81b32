import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Testing

/// The referrals page: the receiving caseworker's form moves a referral through the service
/// (status, version, audit), a form without this session's CSRF field changes nothing, and
/// roles see only their pages.
@Suite struct WebReferralsTests {
    @Test func aCaseworkerAcceptsAnIncomingReferralThroughTheForm() async throws {
        try await WebFixture.with { fixture, client in
            let made = try await WebFixture.referrals(1, fixture: fixture)
            let id = made.ids[0]
            var cleo = try await WebBrowser.signedIn(client, "cleo")
            let page = try await cleo.go(client, "/referrals")
            #expect(page.status == .ok)
            #expect(page.text.contains("<table id=\"incoming\""))
            #expect(page.text.contains("<tr id=\"incoming-\(id)\""))
            #expect(page.text.contains("<form id=\"incoming-form-\(id)\""))
            #expect(page.text.contains("name=\"action\" value=\"accept\""))
            #expect(page.text.contains("consent given"))
            let response = try await cleo.post(
                client, "/referrals/\(id)",
                form: [("csrf", page.csrf ?? ""), ("version", "1"), ("reason", ""), ("action", "accept")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/referrals?show=open&moved=\(id)&status=accepted")
            #expect(
                try await WebFixture.count(fixture, "SELECT count(*) FROM referrals WHERE status = 'accepted'") == 1)
            #expect(
                try await WebFixture.count(
                    fixture,
                    "SELECT count(*) FROM audit_log WHERE action = 'referral.accepted' AND actor = 'cleo' AND subject = \("referral:\(id)")"
                ) == 1)
            let after = try await cleo.go(client, "/referrals?show=open&moved=\(id)&status=accepted")
            #expect(after.text.contains("id=\"notice\""))
            // A crafted link claiming another state says nothing.
            let crafted = try await cleo.go(client, "/referrals?moved=\(id)&status=declined")
            #expect(!crafted.text.contains("id=\"notice\""))
            #expect(after.text.contains("data-status=\"accepted\""))
            #expect(after.text.contains("name=\"action\" value=\"complete\""))

            // The same form again (version 1 is stale now): refused, nothing changes.
            let stale = try await cleo.post(
                client, "/referrals/\(id)",
                form: [("csrf", page.csrf ?? ""), ("version", "1"), ("action", "decline"), ("reason", "no_capacity")])
            #expect(stale.status == .preconditionFailed || stale.status == .conflict)
            #expect(
                try await WebFixture.count(fixture, "SELECT count(*) FROM referrals WHERE status = 'accepted'") == 1)

            // Completing unsuccessfully with a reason.
            let done = try await cleo.post(
                client, "/referrals/\(id)",
                form: [
                    ("csrf", page.csrf ?? ""), ("version", "2"), ("outcome", "unsuccessful"),
                    ("reason", "unable_to_contact_client"), ("action", "complete"),
                ])
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/referrals?show=completed&moved=\(id)&status=completed")
            #expect(
                try await WebFixture.count(
                    fixture,
                    "SELECT count(*) FROM referrals WHERE status = 'completed' AND reason = 'unable_to_contact_client'")
                    == 1)
        }
    }

    @Test func aPostWithoutOrWithAWrongCSRFFieldIsRefusedAndChangesNothing() async throws {
        try await WebFixture.with { fixture, client in
            let id = try await WebFixture.referrals(1, fixture: fixture).ids[0]
            var cleo = try await WebBrowser.signedIn(client, "cleo")
            let page = try await cleo.go(client, "/referrals")
            // Another session's field is not this one's.
            var other = try await WebBrowser.signedIn(client, "cleo")
            let otherPage = try await other.go(client, "/referrals")
            #expect(otherPage.csrf != page.csrf)
            for fields in [
                [("version", "1"), ("action", "accept")],
                [("csrf", ""), ("version", "1"), ("action", "accept")],
                [("csrf", "not-a-token"), ("version", "1"), ("action", "accept")],
                [("csrf", otherPage.csrf ?? ""), ("version", "1"), ("action", "accept")],
            ] {
                let response = try await cleo.post(client, "/referrals/\(id)", form: fields)
                #expect(response.status == .forbidden)
                #expect(response.text.contains("id=\"message-title\""))
            }
            #expect(try await WebFixture.count(fixture, "SELECT count(*) FROM referrals WHERE status = 'pending'") == 1)
            #expect(
                try await WebFixture.count(fixture, "SELECT count(*) FROM audit_log WHERE action = 'referral.accepted'")
                    == 0)
        }
    }

    @Test func theReferringSideSeesItsOutgoingReferralAndTheCasePage() async throws {
        try await WebFixture.with { fixture, client in
            let made = try await WebFixture.referrals(1, fixture: fixture)
            var caseworker = try await WebBrowser.signedIn(client, "caseworker")
            let page = try await caseworker.go(client, "/referrals")
            #expect(page.text.contains("<table id=\"outgoing\""))
            #expect(page.text.contains("<form id=\"outgoing-form-\(made.ids[0])\""))
            #expect(page.text.contains("value=\"cancel\""))
            #expect(!page.text.contains("value=\"accept\""))  // the referring side does not accept
            let file = try await caseworker.go(client, "/cases/\(made.caseID)")
            #expect(file.status == .ok)
            #expect(file.text.contains("<table id=\"classification\""))
            #expect(file.text.contains("<tr data-category=\"refugee_asylum\">"))
            #expect(file.text.contains("<li data-basis=\"asylum-claim\">Claim to international protection"))
            #expect(file.text.contains("id=\"facts\""))
            #expect(file.text.contains("<table id=\"case-referrals\""))
            // Another organisation's case is not found, not shown.
            var cleo = try await WebBrowser.signedIn(client, "cleo")
            #expect(try await cleo.go(client, "/cases/\(made.caseID)").status == .notFound)
        }
    }

    @Test func eachRoleOpensOnlyItsPages() async throws {
        try await WebFixture.with { _, client in
            let expected: [(String, String, HTTPResponse.Status)] = [
                ("analyst", "/referrals", .forbidden), ("analyst", "/cases/1", .forbidden),
                ("analyst", "/statistics", .ok), ("analyst", "/gaps", .ok),
                ("policy", "/referrals", .forbidden), ("policy", "/gaps", .ok), ("policy", "/statistics", .ok),
                ("caseworker", "/gaps", .forbidden), ("caseworker", "/statistics", .forbidden),
                ("caseworker", "/referrals", .ok), ("supervisor", "/referrals", .ok),
                ("supervisor", "/gaps", .forbidden),
                ("admin", "/referrals", .forbidden), ("admin", "/gaps", .forbidden),
                ("admin", "/statistics", .forbidden), ("admin", "/", .ok),
                ("policy", "/gaps?kind=overdue", .ok), ("policy", "/gaps?kind=coverage", .ok),
                ("analyst", "/gaps?kind=outcomes&category=refugee_asylum&area=CO-ANT", .ok),
                ("policy", "/gaps?kind=sideways", .badRequest), ("policy", "/gaps?days=0", .badRequest),
            ]
            for (name, path, status) in expected {
                var browser = try await WebBrowser.signedIn(client, name)
                let response = try await browser.go(client, path)
                #expect(response.status == status, "\(name) \(path)")
                if status == .forbidden {
                    // The refusal carries no data of the page, only the message.
                    #expect(!response.text.contains("<table"), "\(name) \(path)")
                }
            }
            // The nav shows only what the role may open.
            var analyst = try await WebBrowser.signedIn(client, "analyst")
            let page = try await analyst.go(client, "/statistics")
            #expect(page.text.contains("id=\"nav-statistics\""))
            #expect(page.text.contains("id=\"nav-gaps\""))
            #expect(!page.text.contains("id=\"nav-referrals\""))
            var caseworker = try await WebBrowser.signedIn(client, "caseworker")
            let referrals = try await caseworker.go(client, "/referrals")
            #expect(referrals.text.contains("id=\"nav-referrals\""))
            #expect(!referrals.text.contains("id=\"nav-gaps\""))
        }
    }
}
