import PassageCore
import PassageServices
import Testing

@testable import PassageConsole

@Suite struct DispatcherTests {
    @Test func beforeAuthOnlyPingAuthHelpQuitAreAnswered() async {
        let console = ConsoleHarness()
        #expect(await console.send("PING")?.code == 250)
        #expect(await console.send("HELP")?.code == 250)
        for line in ["WHOAMI", "FORMAT json", "CASE SHOW 1", "STATS", "USER LIST"] {
            #expect(await console.send(line)?.code == 514, "\(line)")
        }
        #expect(await console.send("QUIT")?.code == 221)
        #expect(await console.send("QUIT")?.closesConnection == true)
    }

    @Test func unknownCommandsAre510() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.text("FROB x") == "510 unknown command FROB\r\n")
        #expect(await console.send("CASE FROB 1")?.code == 510)
        #expect(await console.send("CASE")?.code == 510)
        #expect(await console.send("x=1")?.code == 510)
    }

    @Test func commandNamesAreCaseInsensitive() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.send("case show 7")?.code == 250)
        #expect(await console.send("pInG")?.message == "PONG")
    }

    @Test func emptyLineGetsNoReply() async {
        #expect(await ConsoleHarness().send("   ") == nil)
    }

    @Test func authSignsInAndReportsTheRole() async {
        let console = ConsoleHarness()
        #expect(
            await console.text(#"AUTH cara "c0rrect horse""#)
                == "250 signed in user=cara role=caseworker organisation=\"Red Cross\"\r\n")
        #expect(await console.text("WHOAMI") == "250 user=cara role=caseworker organisation=\"Red Cross\"\r\n")
    }

    @Test func failedOrLockedAuthIs515AndSignsOut() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.send("AUTH cara wrong")?.code == 515)
        #expect(await console.send("WHOAMI")?.code == 514)
        let locked = await console.send("AUTH lou whatever")
        #expect(locked?.code == 515)
        #expect(locked?.message?.contains("too many attempts") == true)
    }

    @Test func rolesAreEnforcedFromTheTable() async {
        let caseworker = await ConsoleHarness().signedIn()
        #expect(await caseworker.send("CASE OVERRIDE 1 idp reason=x")?.code == 530)
        #expect(await caseworker.send("STATS")?.code == 530)
        #expect(await caseworker.send("AUDIT VERIFY")?.code == 530)
        let supervisor = await ConsoleHarness().signedIn(as: "sam", password: "sup")
        #expect(await supervisor.send("CASE OVERRIDE 1 idp reason=x")?.code == 250)
        #expect(await supervisor.send("CASE SHOW 1")?.code == 250)
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        #expect(await admin.send("CASE SHOW 1")?.code == 530)
        #expect(await admin.send("AUDIT TAIL")?.code == 250)
        let analyst = await ConsoleHarness().signedIn(as: "ana", password: "ana")
        #expect(await analyst.send("GAPS unmet")?.code == 250)
        #expect(await analyst.send("REFER 1 2 3 consent=yes")?.code == 530)
    }

    @Test(arguments: [
        ("NEED ADD 1 SM priority=high", "priority: expected one of emergency, urgent, normal"),
        ("NEED ADD 1", "code: missing"),
        ("NEED ADD x SM", "case: expected an id"),
        ("NEED ADD 1 SM colour=red", "colour: unknown argument"),
        ("NEED ADD 1 SM extra", "extra: unexpected word"),
        ("NEED ADD 1 SM note=a note=b", "note: given twice"),
        ("REFER 1 2 3", "consent: missing"),
        ("REFER 1 2 3 consent=maybe", "consent: expected yes or no"),
        // The contract: "command names and keys are case-insensitive; values are not".
        ("NEED ADD 1 SM priority=URGENT", "priority: expected one of emergency, urgent, normal"),
        ("REFER 1 2 3 consent=YES", "consent: expected yes or no"),
        ("FORMAT JSON", "format: expected one of text, json"),
        ("CASE SET 1 {\"ref\":\"a\"}", "version: missing"),
        ("CASE SET 1 version=0 ref=a", "version: must be between 1 and"),
        ("CASE NEW", "facts: missing"),
        ("CASE NEW ref=a {\"ref\":\"b\"}", "facts: give facts as key=value pairs or as one JSON object"),
        ("CASE NEW {\"ref\":\"b\"", "facts: the JSON object is not closed"),
        ("AUDIT TAIL 0", "n: must be between 1 and 10000"),
        ("WHOAMI now", "now: unexpected word"),
    ])
    func argumentErrorsAre501NamingTheArgument(line: String, expected: String) async {
        let console = await ConsoleHarness().signedIn()
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        let reply = line.hasPrefix("AUDIT") ? await admin.send(line) : await console.send(line)
        #expect(reply?.code == 501)
        #expect(reply?.message?.hasPrefix(expected) == true, "\(reply?.message ?? "nil")")
    }

    @Test func passwordsAreNeverEchoedInErrors() async {
        let admin = await ConsoleHarness().signedIn(as: "adm", password: "adm")
        let reply = await admin.send("USER ADD bob caseworker \"\" ")
        #expect(reply?.code == 501)
        #expect(reply?.message == "password: must not be empty")
    }

    @Test func handlersGetTypedValuesAndDefaults() async {
        let referrals = FakeReferralService()
        let console = await ConsoleHarness(referrals: referrals).signedIn()
        #expect(await console.send("REFER 1 22 333 consent=yes key=\"abc 1\"")?.code == 250)
        // REFER's priority has no default (the referral takes its need's); NEED ADD's does.
        #expect(
            referrals.referred == [
                NewReferral(
                    caseID: 1, needID: 22, providerID: 333, priority: nil, consented: true,
                    idempotencyKey: "abc 1")
            ])
        let needs = FakeNeedService()
        var needServices = FakeServices.echoing()
        needServices.needs = needs
        #expect(await ConsoleHarness(services: needServices).signedIn().send("NEED ADD 1 LP")?.code == 250)
        #expect(needs.needsAdded.map(\.priority) == [.normal])
        let providers = FakeProviderService()
        let admin = await ConsoleHarness(referrals: referrals, providers: providers).signedIn(
            as: "adm", password: "adm")
        #expect(
            await admin.send("PROVIDER ADD \"Casa Migrante\" services=legal_assistance,cash areas=CO-ANT,MX-CHP")?.code
                == 250)
        #expect(providers.registered.map(\.services) == [["legal_assistance", "cash"]])
        #expect(providers.registered.map(\.areas) == [["CO-ANT", "MX-CHP"]])
        #expect(await admin.send("PROVIDER ADD X services=cash areas=Antioquia")?.message?.hasPrefix("areas:") == true)
        #expect(await admin.send("PROVIDER ADD X services=Cash areas=CO-ANT")?.message?.hasPrefix("services:") == true)
        let statistics = FakeStatisticsService()
        var statisticsServices = FakeServices.echoing()
        statisticsServices.statistics = statistics
        let analyst = await ConsoleHarness(services: statisticsServices).signedIn(as: "ana", password: "ana")
        _ = await analyst.send("STATS by=origin,sex from=2024-02-29 to=2024-02-29 format=csv")
        #expect(statistics.aggregateRequests.map(\.from) == ["2024-02-29"])
        #expect(statistics.aggregateRequests.map(\.by) == [["origin", "sex"]])
        #expect(await analyst.send("STATS from=2023-02-29")?.code == 501)
        #expect(await analyst.send("STATS by=origin,origin")?.message == #"by: "origin" is repeated"#)
    }

    @Test func factsArriveAsPairsOrAsOneJSONText() async {
        let cases = FakeCaseService()
        var services = FakeServices.echoing()
        services.cases = cases
        let console = await ConsoleHarness(services: services).signedIn()
        #expect(
            await console.send("CASE NEW ref=a1 employment.skill_level=2 causes=persecution,armed_conflict")?.code
                == 250)
        #expect(
            cases.opened == [
                .pairs([
                    EnteredFact(key: "ref", value: "a1"), EnteredFact(key: "employment.skill_level", value: "2"),
                    EnteredFact(key: "causes", value: "persecution,armed_conflict"),
                ])
            ])
        #expect(await console.send(#"CASE SET 5 version=1 {"ref": "a b", "note": "x=y"}"#)?.code == 250)
        #expect(cases.changed.map(\.facts) == [.json(#"{"ref": "a b", "note": "x=y"}"#)])
        #expect(cases.changed.map(\.expectedVersion) == [1] && cases.changed.map(\.caseID) == [5])
    }

    @Test func serviceErrorsMapToContractCodes() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.send("CASE SHOW 404")?.code == 550)
        #expect(await console.send("CASE SHOW 451")?.code == 451)
        #expect(await console.send("CASE SET 1 version=2 ref=a")?.code == 551)
        #expect(await console.send("REFER 1 2 3 consent=no")?.code == 553)
    }

    @Test func anUnexpectedFaultIs451() async {
        let fault = CommandSpec(
            "FAULT", access: .anyone, summary: "fails as no service says", handler: { _, _ in throw UnexpectedFault() })
        let dispatcher = CommandDispatcher(table: CommandTable([fault]))
        #expect(await dispatcher.respond(toLine: "FAULT", session: Session(source: "127.0.0.1"))?.code == 451)
    }

    @Test func syntaxErrorsAre500() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.send(#"NEED ADD 1 SM note="unterminated"#)?.code == 500)
        #expect(await console.send(#""PING"#)?.code == 500)
    }

    @Test func formatJsonChangesEveryLine() async {
        let console = await ConsoleHarness().signedIn()
        #expect(await console.text("FORMAT json") == "250 {\"format\":\"json\"}\r\n")
        #expect(await console.text("PING") == "250 {\"message\":\"PONG\"}\r\n")
        #expect(
            await console.text("CASE SHOW 3")
                == #"250+{"title":"case 3"}\#r\#n{"line":"facts: {\"ref\":\"fake-3\",\"current_country\":\"DE\"}"}\#r\#n"#
                + #"{"line":"classification: {\"primary\":\"migrant_worker\"}"}\#r\#n{"line":"in force: migrant_worker (rule result)"}\#r\#n"#
                + #".\#r\#n250 {"message":"case 3","case":3,"version":1,"primary":"migrant_worker"}\#r\#n"#)
        #expect(await console.text("FORMAT text") == "250 format=text\r\n")
    }

    @Test func helpIsGeneratedFromTheTable() async {
        let console = ConsoleHarness()
        let overview = await console.text("HELP")
        for command in console.dispatcher.table.commands {
            #expect(overview.contains(command.usage), "\(command.name)")
        }
        let detail = await console.text("help case set")
        #expect(detail.contains("usage: CASE SET <case> version=<version> <facts>"))
        #expect(detail.contains("who: caseworker, supervisor"))
        let group = await console.text("HELP USER")
        #expect(group.contains("USER LOCK <user>") && !group.contains("CASE NEW"))
        #expect(await console.send("HELP NOPE")?.code == 501)
        let override = await console.text("HELP CASE OVERRIDE")
        #expect(override.contains("reason=<reason>  why the rule result is overridden"))
    }

    @Test func everyContractCommandIsDeclared() {
        let table = ConsoleHarness().dispatcher.table
        let contract = [
            "PING", "AUTH", "QUIT", "HELP", "FORMAT", "WHOAMI", "CASE NEW", "CASE SHOW", "CASE SET",
            "CASE OVERRIDE", "CASE LIST", "PERSON SET", "PERSON SHOW", "NEED ADD", "PROVIDER ADD", "REFER",
            "REFERRAL SET", "STATS",
            "NEED LIST", "NEED SET", "PROVIDER LIST", "REFERRAL LIST", "REFERRAL SHOW",
            "GAPS", "AUDIT TAIL", "AUDIT VERIFY", "USER ADD", "USER PASSWD", "USER LOCK", "USER UNLOCK",
            "USER LIST", "NOTICES", "USER CONFIRM", "USER ROLE", "USER REMOVE", "HEALTH",
            // Issue 24, transfers (Docs/transfers.md).
            "TRANSFER PROPOSE", "TRANSFER REQUEST", "TRANSFER ACCEPT", "TRANSFER DECLINE", "TRANSFER CANCEL",
            "TRANSFER LIST", "TRANSFER HISTORY",
            // Issue 24, closure and who saw my data (Docs/case-life.md).
            "CASE CLOSE", "CASE REOPEN", "AUDIT PERSON",
            // Issue 24, retention and erasure (Docs/case-life.md).
            "PERSON ERASE", "ORG RETENTION",
            // Issue 23, search before create (Docs/finding-persons.md).
            "PERSON SEARCH",
            // Issue 23, merge and duplicate review (Docs/finding-persons.md).
            "PERSON MERGE", "PERSON UNMERGE", "DUPLICATE LIST", "DUPLICATE CONFIRM", "DUPLICATE REJECT",
            "DUPLICATE RATE",
            // Issue 25, standard reports (Docs/anonymisation.md).
            "REPORT",
            // Issue 25, where and how to reach a provider (Docs/referrals.md).
            "PROVIDER SHOW", "PROVIDER LOCATION", "PROVIDER PHONE", "PROVIDER CONTACT", "PROVIDER REMOVE",
        ]
        #expect(table.commands.map(\.name).sorted() == contract.sorted())
    }

    @Test func roleMatrixMarkdownComesFromTheTable() {
        let markdown = HelpCatalog(ConsoleHarness().dispatcher.table.commands).roleMatrixMarkdown()
        #expect(markdown.hasPrefix("| command | before AUTH | caseworker | supervisor | analyst | policy | admin |"))
        #expect(
            markdown.contains(
                "| `CASE OVERRIDE <case> migrant_worker\\|refugee_asylum\\|idp\\|trafficked reason=<reason>`"))
        #expect(markdown.contains("| `PING` | yes | yes | yes | yes | yes | yes |"))
        let override = markdown.split(separator: "\n").first { $0.hasPrefix("| `CASE OVERRIDE") }
        #expect(override?.hasSuffix("| — | — | yes | — | — | — |") == true)
        // Documentation needs no services and shows the rows of the commands this build
        // answers (needs and referrals are in; statistics and gaps arrive with their features).
        let documented = ConsoleCommands.documentation().roleMatrixMarkdown().split(separator: "\n")
        #expect(Set(documented).isSubset(of: Set(markdown.split(separator: "\n"))))
        #expect(documented.contains { $0.hasPrefix("| `CASE NEW") } && documented.contains { $0.hasPrefix("| `REFER") })
        let reference = HelpCatalog(ConsoleHarness().dispatcher.table.commands).referenceMarkdown()
        #expect(reference.contains("### REFER\n\n`REFER <case> <need> <provider> consent=yes|no"))
        #expect(reference.contains("- `days=<days>`: GAPS unmet: age at which a need counts as unmet (default 7)"))
    }
}
