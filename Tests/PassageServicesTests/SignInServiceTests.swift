import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// SignInService over a real PostgreSQL: the sign-in and its audit entry, one answer for
/// unknown, wrong and locked, the per-network budget before any password check, the sweep's question.
@Suite("Sign-in service")
struct SignInServiceTests {
    @Test(
        "a sign-in returns the account with its credentials and is audited; failures answer alike and are audited with their reason"
    )
    func signIn() async throws {
        try await ServiceFixture.with(accounts: [("amy", .caseworker, "ngo-a")]) { fixture in
            let result = try await fixture.services.signIn.authenticate(
                user: "amy", password: "password-of-amy", source: "198.51.100.4")
            guard case .signedIn(let user, let role, let organisation, let organisationID, let credentials) = result
            else {
                Issue.record("not signed in: \(result)")
                return
            }
            #expect(
                user == "amy" && role == .caseworker && organisation == "ngo-a" && organisationID != nil
                    && credentials != nil)
            #expect(
                try await fixture.audit(.userSignIn) == [
                    .init(actor: "amy", action: "user.sign_in", subject: "user:amy", source: "198.51.100.4", detail: "")
                ])
            #expect(
                try await fixture.services.signIn.authenticate(
                    user: "amy", password: "a wrong guess", source: "198.51.100.4") == .failed)
            #expect(
                try await fixture.services.signIn.authenticate(
                    user: "nobody", password: "a wrong guess", source: "198.51.100.4") == .failed)
            #expect(try await fixture.audit(.userSignInFailed).map(\.detail) == ["wrong password", "unknown user"])
            // The sweep: amy's session holds; one with another epoch has ended.
            guard let credentials else { return }
            let stale = SessionCredentials(userID: credentials.userID, epoch: credentials.epoch + 1)
            #expect(try await fixture.services.signIn.endedSessions([credentials, stale]) == [stale])
            #expect(try await fixture.services.signIn.endedSessions([]).isEmpty)
        }
    }

    @Test("over the network's attempt budget: refused unchecked, audited once per episode, another network unaffected")
    func networkBudget() async throws {
        try await ServiceFixture.with(
            signInLimits: SignInLimits(attemptsPerMinutePerNetwork: 2), accounts: [("amy", .caseworker, "ngo-a")]
        ) { fixture in
            let signIn = fixture.services.signIn
            #expect(try await signIn.authenticate(user: "amy", password: "guess one", source: "203.0.113.5") == .failed)
            #expect(try await signIn.authenticate(user: "amy", password: "guess two", source: "203.0.113.6") == .failed)
            // The right password no longer helps from that network: nothing is checked.
            #expect(
                try await signIn.authenticate(user: "amy", password: "password-of-amy", source: "203.0.113.7")
                    == .locked)
            #expect(
                try await signIn.authenticate(user: "amy", password: "password-of-amy", source: "203.0.113.8")
                    == .locked)
            let refusals = try await fixture.audit(.userSignInFailed).filter {
                $0.detail.hasPrefix("refused unchecked: too many attempts from this network")
            }
            #expect(refusals.count == 1)
            guard
                case .signedIn = try await signIn.authenticate(
                    user: "amy", password: "password-of-amy", source: "192.0.2.1")
            else {
                Issue.record("another network was refused")
                return
            }
            #expect(try await fixture.audit(.userSignIn).count == 1)
        }
    }
}
