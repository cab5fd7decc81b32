import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Access drills (Docs/reliability.md, "Access"): brute force meets the lockout, crafted
/// commands do not get an analyst to personal data, and audit verification catches tampering.
/// Every role × every forbidden command is RoleMatrixEndToEndTests.
@Suite("Drill: access")
struct AccessDrillTests {
    @Test(
        "a brute-force run over concurrent connections hits the throttle; the right password then fails too, every failure is audited, and other accounts are untouched"
    )
    func bruteForce() async throws {
        // No network rate limit here: every attempt reaches the store's throttle.
        try await LiveServer.with(
            throttle: .init(freeFailuresPerUserAndAddress: 5, firstDelay: .seconds(3_600)),
            signInLimits: .init(attemptsPerMinutePerNetwork: 100_000)
        ) { server in
            let attempts = 8
            let perConnection = 25
            let replies = try await withThrowingTaskGroup(of: [Int].self) { group in
                for connection in 0..<attempts {
                    group.addTask {
                        try await ConsoleClient.withConnection(port: server.port) { client in
                            var codes: [Int] = []
                            for attempt in 0..<perConnection {
                                // Mostly wrong guesses; the right password comes in too, late.
                                let password =
                                    attempt == perConnection - 1 && connection == 0
                                    ? LiveServer.password("cw") : "guess-\(connection)-\(attempt)"
                                codes.append(try await client.request("AUTH cw \"\(password)\"").code)
                            }
                            return codes
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(replies.count == attempts * perConnection)
            #expect(replies.allSatisfy { $0 == 515 }, "a guess was let in: \(Set(replies))")
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                // Throttled now: this name from this address, even with the right password …
                #expect(try await client.request("AUTH cw \(LiveServer.password("cw"))").code == 515)
                // … but not every other account from here (the old lockout took the address too).
                #expect(try await client.request("AUTH sup \(LiveServer.password("sup"))").code == 250)
            }
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo,
                    "SELECT count(*) FROM sign_in_throttle WHERE key = 'user:cw@127.0.0.1' AND blocked_until > now()")
                    == 1)
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo, "SELECT count(*) FROM audit_log WHERE action = 'sign_in.throttled'") == 1)
            // Every refused AUTH left an entry (the right password after the last guess too).
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo,
                    "SELECT count(*) FROM audit_log WHERE action = 'user.sign_in_failed' AND subject = 'user:cw'")
                    == attempts * perConnection + 1)
        }
    }

    @Test("a password spray (one guess per account) throttles the network")
    func passwordSpray() async throws {
        let accounts = (0..<8).map { (name: "spray\($0)", role: Role.caseworker, organisation: "ngo-a") }
        try await LiveServer.with(
            accounts: accounts, throttle: .init(freeFailuresPerPrefix: 5, firstDelay: .seconds(3_600))
        ) { server in
            try await ConsoleClient.withConnection(port: server.port) { (client: ConsoleClient) async throws -> Void in
                for account in accounts {
                    #expect(try await client.request("AUTH \(account.name) Winter2026!").code == 515)
                }
                // No single account reached five failures, but the network did.
                #expect(try await client.request("AUTH spray7 \(LiveServer.password("spray7"))").code == 515)
            }
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo,
                    "SELECT count(*) FROM sign_in_throttle WHERE key = 'prefix:loopback' AND blocked_until > now()")
                    == 1)
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo,
                    "SELECT count(*) FROM sign_in_throttle WHERE key LIKE 'user:%' AND blocked_until > now()") == 0)
        }
    }

    @Test("an analyst cannot reach personal data or case contents with crafted commands")
    func analystCannotReadPersonalData() async throws {
        let secretName = "Secret Person Nine"
        let secretPhone = "+254799999999"
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request(#"CASE NEW {"ref":"pii-target","current_country":"KE","age":34}"#).code
                        == 250)
                #expect(
                    try await client.request(
                        "PERSON SET 1 name=\"\(secretName)\" phone=\(secretPhone) documents=SECRET-DOC-1"
                    ).code == 250)
            }
            let personReadsBefore = try await DatabaseSnapshot.count(
                server.conninfo, "SELECT count(*) FROM audit_log WHERE action = 'person.read'")
            for user in ["an", "pol", "adm"] {
                try await server.session(as: user) { (client: ConsoleClient) async throws -> Void in
                    let crafted = [
                        "PERSON SHOW 1", "person show 1", "Person\tShow\t1", "PERSON  SHOW 1 org=ngo-a",
                        "\"PERSON\" SHOW 1",
                        "PERSON SHOW 1;SELECT identifiers FROM persons", "PERSON SHOW \"1 OR 1=1\"", "PERSON SHOW 1 --",
                        "PERSON SET 1 name=x", "CASE SHOW 1", "case show 1", "CASE SHOW 1 as=cw", "CASE LIST",
                        "CASE LIST review",
                        "CASE SET 1 version=1 age=35", "CASE NEW {\"ref\":\"x\",\"current_country\":\"KE\"}",
                        "SELECT * FROM persons", "PERSONS", "PERSON", "PERSON SHOW", "PERSON EXPORT 1", "CASE EXPORT",
                        "FORMAT json", "PERSON SHOW 1", "CASE SHOW 1", "FORMAT text",
                        "STATS by=name", "STATS by=phone,identifiers", "STATS by=category k=1 format=csv",
                        "GAPS unmet area=\"' UNION SELECT identifiers::text FROM persons --\"", "HELP PERSON SHOW",
                        "WHOAMI",
                    ]
                    for line in crafted {
                        let reply = try await client.request(line)
                        let everything = reply.lines.joined(separator: "\n")
                        #expect(
                            !everything.contains(secretName) && !everything.contains(secretPhone)
                                && !everything.contains("SECRET-DOC")
                                && !everything.contains("pii-target"),
                            "\(user): \(line) → \(reply.code) leaked")
                        if line.uppercased().hasPrefix("PERSON SHOW 1") || line.lowercased().hasPrefix("person\tshow")
                            || line.uppercased().hasPrefix("CASE SHOW")
                        {
                            #expect(reply.code == 530, "\(user): \(line) → \(reply.code) \(reply.text)")
                        }
                    }
                }
            }
            // None of those attempts read personal data (every read would be audited).
            #expect(
                try await DatabaseSnapshot.count(
                    server.conninfo, "SELECT count(*) FROM audit_log WHERE action = 'person.read'") == personReadsBefore
            )
        }
    }

    @Test("AUDIT VERIFY catches an edited, a deleted and a reordered audit row, and names it")
    func auditTampering() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                for index in 1...4 {
                    #expect(
                        try await client.request(#"CASE NEW {"ref":"audit-\#(index)","current_country":"DE"}"#).code
                            == 250)
                    _ = try await client.request("CASE SHOW \(index)")
                }
            }
            func verify() async throws -> ReceivedReply {
                try await server.session(as: "adm") { try await $0.request("AUDIT VERIFY") }
            }
            let conninfo = server.conninfo
            func sql(_ query: PostgresQuery) async throws {
                _ = try await offThePool {
                    let db = try PostgresConnection.connect(conninfo)
                    defer { db.close() }
                    return try db.execute(query)
                }
            }
            #expect(try await verify().code == 250)
            let ids = try await offThePool { () throws -> [Int64] in
                let db = try PostgresConnection.connect(conninfo)
                defer { db.close() }
                return try db.query("SELECT id FROM audit_log ORDER BY id").map { try $0.decode(Int64.self, at: 0) }
            }
            #expect(ids.count >= 8)
            let (third, fourth, fifth) = (ids[2], ids[3], ids[4])

            // Edited: one field of one row.
            try await sql("UPDATE audit_log SET actor = 'someone-else' WHERE id = \(third)")
            var reply = try await verify()
            #expect(
                reply.code == 551 && reply.text.contains("entry \(third)") && reply.text.contains("edited"),
                "\(reply.text)")
            try await sql("UPDATE audit_log SET actor = 'cw' WHERE id = \(third)")
            #expect(try await verify().code == 250)

            // Deleted: a row in the middle; the break shows at the row after it.
            try await sql("CREATE TABLE kept_audit_row AS SELECT * FROM audit_log WHERE id = \(fourth)")
            try await sql("DELETE FROM audit_log WHERE id = \(fourth)")
            reply = try await verify()
            #expect(
                reply.code == 551 && reply.text.contains("entry \(fifth)") && reply.text.contains("link"),
                "\(reply.text)")
            try await sql("INSERT INTO audit_log SELECT * FROM kept_audit_row")
            try await sql("DROP TABLE kept_audit_row")
            #expect(try await verify().code == 250)

            // Reordered: two rows exchange places (everything but their ids swapped).
            try await sql(
                """
                UPDATE audit_log a SET at = b.at, actor = b.actor, action = b.action, subject = b.subject, source = b.source,
                                       detail = b.detail, prev_hash = b.prev_hash, hash = b.hash
                  FROM (SELECT * FROM audit_log WHERE id IN (\(third), \(fourth))) b
                 WHERE a.id IN (\(third), \(fourth)) AND b.id <> a.id
                """)
            reply = try await verify()
            #expect(reply.code == 551 && reply.text.contains("entry \(third)"), "\(reply.text)")
            // Renumbered the other way (ids swapped, contents in place): caught as well.
            try await sql(
                """
                UPDATE audit_log a SET at = b.at, actor = b.actor, action = b.action, subject = b.subject, source = b.source,
                                       detail = b.detail, prev_hash = b.prev_hash, hash = b.hash
                  FROM (SELECT * FROM audit_log WHERE id IN (\(third), \(fourth))) b
                 WHERE a.id IN (\(third), \(fourth)) AND b.id <> a.id
                """)
            #expect(try await verify().code == 250)
            try await sql("UPDATE audit_log SET id = -id WHERE id IN (\(third), \(fifth))")
            try await sql(
                "UPDATE audit_log SET id = CASE WHEN id = -\(third) THEN \(fifth) ELSE \(third) END WHERE id < 0")
            reply = try await verify()
            #expect(reply.code == 551 && reply.text.contains("entry \(third)"), "\(reply.text)")
        }
    }
}
