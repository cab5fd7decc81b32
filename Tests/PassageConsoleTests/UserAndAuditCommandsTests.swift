import PassageCore
import PassageServices
import Testing

@testable import PassageConsole

/// The console's USER, NOTICES, AUDIT and AUTH commands over fakes of their services: typed
/// arguments in, the reply's fields out, refusals handed to the audit service.
@Suite struct UserAndAuditCommandsTests {
    @Test func userAddRepliesWithTheAccountAndWhetherItWaits() async {
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        #expect(
            await admin.text(#"USER ADD bea caseworker "bea password" org=ngo-a"#)
                == "250 user=bea role=caseworker organisation=ngo-a\r\n")
        #expect(
            await admin.text(#"USER ADD eve analyst "eve password" org=elsewhere"#)
                == "250 user=eve role=analyst organisation=elsewhere awaiting_confirmation=\"supervisor of elsewhere\"\r\n"
        )
        #expect(await admin.text("USER LOCK bea") == "250 user=bea\r\n")
        #expect(await admin.text("USER REMOVE ghost") == "550 user ghost\r\n")
    }

    @Test func userAddHandsTheUseCaseTypedValuesAndTheActor() async throws {
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        // Values are case-sensitive (the contract): the role is written as the contract names it.
        #expect(await admin.send(#"USER ADD bea SUPERVISOR "bea password""#)?.code == 501)
        #expect(await admin.send(#"USER ADD bea supervisor "bea password""#)?.code == 250)
        let users = try #require(admin.dispatcher.table.services?.users as? FakeUserService)
        let added = users.recorded.added.withLock { $0 }
        // No org=: the use case chooses the default organisation, not the console.
        #expect(
            added.map(\.user) == [NewUser(name: "bea", role: .supervisor, password: "bea password", organisation: nil)])
        #expect(added.map(\.actor.name) == ["adm"] && added.map(\.actor.source) == ["127.0.0.1"])
    }

    @Test func userListIsATableWithTheLockState() async {
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        let reply = await admin.send("USER LIST org=\"Red Cross\"")
        #expect(reply?.code == 250 && reply?.data?.count == 2)
        let text = await admin.text("USER LIST")
        #expect(text.contains("lou") && text.contains("locked") && text.contains("active"), "\(text)")
    }

    @Test func auditVerifySaysWhetherAnchorsAreKept() async {
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        let text = await admin.text("AUDIT VERIFY")
        #expect(
            text.hasPrefix("250 ") && text.contains("entries=0")
                && text.contains("no anchors kept outside the database") && !text.contains("anchors="), "\(text)")
    }

    @Test func aRefusedCommandIsHandedToTheAuditServiceWithItsIds() async throws {
        let caseworker = await ConsoleHarness().signedIn()
        #expect(await caseworker.send("USER LOCK bea")?.code == 530)
        #expect(await caseworker.send("CASE OVERRIDE 12 idp reason=x")?.code == 530)
        let audit = try #require(caseworker.dispatcher.table.services?.audit as? FakeAuditService)
        let recorded = audit.recorded.refusals.withLock { $0 }
        #expect(
            recorded.map(\.refusal) == [
                Refusal(user: "cara", command: "USER LOCK", code: 530, targets: []),
                Refusal(user: "cara", command: "CASE OVERRIDE", code: 530, targets: ["case:12"]),
            ])
        #expect(recorded.map(\.source) == ["127.0.0.1", "127.0.0.1"])
    }
}
