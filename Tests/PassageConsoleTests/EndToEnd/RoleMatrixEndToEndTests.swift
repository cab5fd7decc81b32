import Foundation
import PassageConsole
import PassageCore
import Testing

/// Every role × every command, against the real server, compared with the contract's roles as
/// written down here independently of the command table.
@Suite("Role matrix end to end")
struct RoleMatrixEndToEndTests {
    /// The contract's "who" column (shared/spec/console.md), for the commands this build has.
    /// nil: open to anyone signed in.
    static let contract: [String: Set<Role>?] = [
        "PING": nil, "AUTH": nil, "QUIT": nil, "HELP": nil, "FORMAT": nil, "WHOAMI": nil, "HEALTH": nil,
        "CASE NEW": [.caseworker, .supervisor], "CASE SHOW": [.caseworker, .supervisor],
        "CASE SET": [.caseworker, .supervisor], "CASE LIST": [.caseworker, .supervisor],
        "CASE OVERRIDE": [.supervisor], "PERSON SET": [.caseworker, .supervisor],
        "PERSON SHOW": [.caseworker, .supervisor],
        "NEED ADD": [.caseworker, .supervisor], "NEED LIST": [.caseworker, .supervisor],
        "NEED SET": [.caseworker, .supervisor],
        "PROVIDER ADD": [.admin], "PROVIDER LIST": [.caseworker, .supervisor, .admin],
        "REFER": [.caseworker, .supervisor], "REFERRAL SET": [.caseworker, .supervisor],
        "REFERRAL LIST": [.caseworker, .supervisor], "REFERRAL SHOW": [.caseworker, .supervisor],
        "AUDIT TAIL": [.admin], "AUDIT VERIFY": [.admin],
        "GAPS": [.analyst, .policy],
        "USER ADD": [.admin], "USER PASSWD": [.admin], "USER LOCK": [.admin], "USER UNLOCK": [.admin],
        "USER LIST": [.admin],
        "STATS": [.analyst, .policy],
        // Issue 25: standard reports, as STATS (Docs/anonymisation.md "Standard reports").
        "REPORT": [.analyst, .policy],
        "NOTICES": [.supervisor], "USER CONFIRM": [.supervisor],
        "USER ROLE": [.admin], "USER REMOVE": [.admin],
        // Issue 24: closure (Docs/case-life.md), who saw my data, transfers (Docs/transfers.md).
        "CASE CLOSE": [.caseworker, .supervisor], "CASE REOPEN": [.supervisor], "AUDIT PERSON": [.admin],
        "TRANSFER PROPOSE": [.caseworker, .supervisor], "TRANSFER REQUEST": [.caseworker, .supervisor],
        "TRANSFER CANCEL": [.caseworker, .supervisor], "TRANSFER LIST": [.caseworker, .supervisor],
        "TRANSFER HISTORY": [.caseworker, .supervisor],
        "TRANSFER ACCEPT": [.supervisor], "TRANSFER DECLINE": [.supervisor],
        // Issue 23: search before create (Docs/finding-persons.md).
        "PERSON SEARCH": [.caseworker, .supervisor],
        // Issue 23: merge and duplicate review, a supervisor's (Docs/finding-persons.md).
        "PERSON MERGE": [.supervisor], "PERSON UNMERGE": [.supervisor], "DUPLICATE LIST": [.supervisor],
        "DUPLICATE CONFIRM": [.supervisor], "DUPLICATE REJECT": [.supervisor], "DUPLICATE RATE": [.supervisor],
        // Issue 24: retention and erasure (Docs/case-life.md).
        "PERSON ERASE": [.supervisor], "ORG RETENTION": [.admin],
        // Issue 25: where and how to reach a provider, read with the directory, kept by administrators.
        "PROVIDER SHOW": [.caseworker, .supervisor, .admin], "PROVIDER LOCATION": [.admin],
        "PROVIDER PHONE": [.admin], "PROVIDER CONTACT": [.admin], "PROVIDER REMOVE": [.admin],
    ]

    /// A well-formed invocation of each command, so only the role decides the outcome
    /// (`-REF` becomes `-<account>`, so that names stay unique across accounts).
    static let sample: [String: String] = [
        "PING": "PING", "HELP": "HELP", "FORMAT": "FORMAT text", "WHOAMI": "WHOAMI", "HEALTH": "HEALTH",
        "CASE NEW": #"CASE NEW {"ref":"rm-REF","current_country":"DE"}"#, "CASE SHOW": "CASE SHOW 1",
        "CASE SET": "CASE SET 1 version=1 age=30", "CASE LIST": "CASE LIST",
        "CASE OVERRIDE": "CASE OVERRIDE 1 idp reason=test",
        "PERSON SET": "PERSON SET 1 name=\"Test Person\"", "PERSON SHOW": "PERSON SHOW 1",
        "PERSON SEARCH": "PERSON SEARCH name=\"Test Person\"",
        "NEED ADD": "NEED ADD 1 LP", "NEED LIST": "NEED LIST 1", "NEED SET": "NEED SET 999 met",
        "PROVIDER ADD": "PROVIDER ADD prov-REF services=cash areas=CO-ANT", "PROVIDER LIST": "PROVIDER LIST",
        "REFER": "REFER 1 1 999 consent=yes", "REFERRAL SET": "REFERRAL SET 999 accepted",
        "REFERRAL LIST": "REFERRAL LIST", "REFERRAL SHOW": "REFERRAL SHOW 999",
        "AUDIT TAIL": "AUDIT TAIL 1", "AUDIT VERIFY": "AUDIT VERIFY",
        "GAPS": "GAPS unmet",
        "USER ADD": "USER ADD u-REF analyst \"long enough pass\"",
        "USER PASSWD": "USER PASSWD nobody \"long enough pass\"",
        "USER LOCK": "USER LOCK nobody", "USER UNLOCK": "USER UNLOCK nobody", "USER LIST": "USER LIST",
        "STATS": "STATS by=category", "REPORT": "REPORT population",
        "NOTICES": "NOTICES", "USER CONFIRM": "USER CONFIRM nobody",
        "USER ROLE": "USER ROLE nobody analyst", "USER REMOVE": "USER REMOVE nobody",
        // Case 999 does not exist: the gate decides, and the seed case stays open and owned.
        "CASE CLOSE": "CASE CLOSE 999 moved", "CASE REOPEN": "CASE REOPEN 999", "AUDIT PERSON": "AUDIT PERSON 999",
        "TRANSFER PROPOSE": "TRANSFER PROPOSE 999 to=ngo-b consent=yes reason=moved_area",
        "TRANSFER REQUEST": "TRANSFER REQUEST 999 from=ngo-b reason=moved_area",
        "TRANSFER ACCEPT": "TRANSFER ACCEPT 999", "TRANSFER DECLINE": "TRANSFER DECLINE 999",
        "TRANSFER CANCEL": "TRANSFER CANCEL 999 reason=other", "TRANSFER LIST": "TRANSFER LIST",
        "TRANSFER HISTORY": "TRANSFER HISTORY 999",
        "PERSON MERGE": "PERSON MERGE 998 999", "PERSON UNMERGE": "PERSON UNMERGE 999",
        "DUPLICATE LIST": "DUPLICATE LIST", "DUPLICATE CONFIRM": "DUPLICATE CONFIRM 999",
        "DUPLICATE REJECT": "DUPLICATE REJECT 999", "DUPLICATE RATE": "DUPLICATE RATE",
        "PERSON ERASE": "PERSON ERASE 999 request", "ORG RETENTION": "ORG RETENTION off",
        // Provider 999 does not exist: the gate decides.
        "PROVIDER SHOW": "PROVIDER SHOW 999", "PROVIDER LOCATION": "PROVIDER LOCATION 999 name=Sede",
        "PROVIDER PHONE": "PROVIDER PHONE 999 \"+57 604 444 1234\"", "PROVIDER CONTACT": "PROVIDER CONTACT 999 name=Ana",
        "PROVIDER REMOVE": "PROVIDER REMOVE 999 phone 1",
    ]

    @Test("the command table grants exactly the contract's roles")
    func tableMatchesContract() {
        let table = ConsoleCommands.documentation()
        let declared = Set(table.entries.map(\.name))
        #expect(declared == Set(Self.contract.keys))
        for entry in table.entries {
            guard let expected = Self.contract[entry.name] else { continue }
            for role in Role.allCases {
                let allowed = expected.map { $0.contains(role) } ?? true
                #expect(entry.access.allows(role) == allowed, "\(entry.name) for \(role.rawValue)")
            }
        }
    }

    @Test("every role × every command over TCP: allowed ones pass the gate, the others get 530")
    func everyRoleEveryCommand() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { client in
                _ = try await client.request(#"CASE NEW {"ref":"rm-seed","current_country":"DE"}"#)
            }
            for account in LiveServer.standardAccounts where account.organisation == "ngo-a" {
                try await server.session(as: account.name) { (client: ConsoleClient) async throws -> Void in
                    for (command, line) in Self.sample.sorted(by: { $0.key < $1.key }) {
                        let reply = try await client.request(
                            line.replacingOccurrences(of: "-REF", with: "-" + account.name))
                        let expected = Self.contract[command]!.map { $0.contains(account.role) } ?? true
                        if expected {
                            #expect(
                                reply.code != 530 && reply.code != 514 && reply.code < 500
                                    || [550, 551].contains(reply.code),
                                "\(account.role.rawValue) \(command) → \(reply.code) \(reply.text)")
                        } else {
                            #expect(
                                reply.code == 530, "\(account.role.rawValue) \(command) → \(reply.code) \(reply.text)")
                        }
                    }
                }
            }
        }
    }

    @Test("before AUTH only PING, AUTH, HELP and QUIT are answered")
    func beforeSignIn() async throws {
        try await LiveServer.with { server in
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                for (command, line) in Self.sample {
                    let reply = try await client.request(line)
                    if ["PING", "HELP"].contains(command) {
                        #expect(reply.code == 250, "\(command)")
                    } else {
                        #expect(reply.code == 514, "\(command) → \(reply.code)")
                    }
                }
                #expect(try await client.request("QUIT").code == 221)
            }
        }
    }

    /// Spellings an attacker would try to slip past the gate: the role decides before anything
    /// about the line is read, so each is refused with 530 whatever follows the command name.
    static func craftedSpellings(of command: String, sample: String) -> [String] {
        let arguments = String(sample.dropFirst(command.count))
        let words = command.split(separator: " ")
        return [
            sample.lowercased(),
            words.map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ") + arguments,
            words.joined(separator: "\t \t") + "\t" + arguments,
            command,  // arguments missing
            command + " 1;DELETE FROM cases --",  // SQL after the name
            command + " 1 2 3 as=admin role=admin user=adm x=\"y z\"",  // extra and invented arguments
            command + #" {"ref":"crafted","current_country":"DE"}"#,  // a JSON tail where none belongs
        ]
    }

    @Test(
        "crafted spellings of every forbidden command (case, tabs, missing, extra or SQL arguments) get 530 and change nothing"
    )
    func craftedForbiddenCommands() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"CASE NEW {"ref":"rm-seed","current_country":"DE"}"#).code == 250)
            }
            for account in LiveServer.standardAccounts where account.organisation == "ngo-a" {
                try await server.session(as: account.name) { (client: ConsoleClient) async throws -> Void in
                    // Signing in touches users and the audit log; nothing after it may touch anything.
                    let before = try await DatabaseSnapshot.take(
                        server.conninfo, except: ["audit_log", "users", "sign_in_sources"])
                    var tried = 0
                    for (command, sample) in Self.sample.sorted(by: { $0.key < $1.key }) {
                        guard let allowed = Self.contract[command]!, !allowed.contains(account.role) else { continue }
                        for line in Self.craftedSpellings(of: command, sample: sample) {
                            let reply = try await client.request(line)
                            #expect(
                                reply.code == 530,
                                "\(account.role.rawValue): \(line.debugDescription) → \(reply.code) \(reply.text)")
                            tried += 1
                        }
                    }
                    #expect(tried > 0)
                    #expect(
                        try await DatabaseSnapshot.take(
                            server.conninfo, except: ["audit_log", "users", "sign_in_sources"]) == before)
                }
            }
            #expect(
                try await DatabaseSnapshot.count(server.conninfo, "SELECT count(*) FROM users")
                    == LiveServer.standardAccounts.count)
        }
    }
}
