import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// Token sessions (HTTP API, web pages) over a real PostgreSQL: opened by the sign-in path,
/// stored as a hash, resumed as the actor with credentials, ended by sign-out, expiry and every
/// change that ends the console's sessions (Docs/security.md "13. API session tokens").
@Suite("Token sessions")
struct TokenSessionTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("adm", .admin, "ngo-a"), ("cw", .caseworker, "ngo-a"),
    ]

    @Test(
        "open then resume gives the signed-in actor; the table holds only the token's SHA-256; audited without the token"
    )
    func openAndResume() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let opened = try await fixture.open("cw", source: "198.51.100.4")
            #expect(opened.token.count == 43)
            #expect(opened.token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(
                opened.actor.name == "cw" && opened.actor.role == .caseworker && opened.actor.organisation == "ngo-a"
                    && opened.actor.source == "198.51.100.4")
            let actor = try await fixture.services.signIn.resume(token: opened.token, source: "198.51.100.9")
            #expect(
                actor
                    == Actor(
                        name: "cw", role: .caseworker, organisation: "ngo-a",
                        organisationID: opened.actor.organisationID, credentials: opened.actor.credentials,
                        source: "198.51.100.9"))
            #expect(actor.credentials != nil && actor.organisationID != nil)
            // The resumed actor works like a console session's (its transactions are checked).
            let admin = try await fixture.services.signIn.resume(
                token: try await fixture.open("adm").token, source: "192.0.2.1")
            #expect(
                try await fixture.services.users.list(organisation: "ngo-a", by: admin).map(\.name) == ["adm", "cw"])

            // Stored: the SHA-256 of the token's 32 bytes, and nowhere the token itself.
            let tokenBytes = Data(try #require(Self.bytes(of: opened.token)))
            #expect(tokenBytes.count == 32)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions") == 2)
            #expect(
                try await fixture.count("SELECT count(*) FROM api_sessions WHERE token_hash = sha256(\(tokenBytes))")
                    == 1)
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM api_sessions WHERE expires_at - created_at = interval '8 hours'") == 2,
                "the default lifetime is 8 hours")
            #expect(try await fixture.tableText("api_sessions").contains(opened.token) == false)
            #expect(try await fixture.tableText("audit_log").contains(opened.token) == false)

            // The sign-in entry of AUTH, then the session's own.
            #expect(
                try await fixture.audit(.userSignIn).first
                    == .init(
                        actor: "cw", action: "user.sign_in", subject: "user:cw", source: "198.51.100.4", detail: ""))
            let openings = try await fixture.audit(.sessionOpen)
            #expect(openings.count == 2)
            #expect(openings.first?.subject == "user:cw" && openings.first?.actor == "cw")
            #expect(openings.first?.detail.hasPrefix("session ") == true)
            #expect(openings.first?.detail.contains("expires 20") == true)
        }
    }

    @Test("a wrong password or unknown name opens nothing and answers like authenticate")
    func failedOpening() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            #expect(
                try await signIn.openSession(user: "cw", password: "a wrong guess", source: "192.0.2.7", lifetime: nil)
                    == .failed)
            #expect(
                try await signIn.openSession(
                    user: "nobody", password: "a wrong guess", source: "192.0.2.7", lifetime: nil)
                    == .failed)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions") == 0)
            #expect(try await fixture.audit(.userSignInFailed).map(\.detail) == ["wrong password", "unknown user"])
            #expect(try await fixture.audit(.sessionOpen).isEmpty)
            // A lifetime out of bounds is refused before any password check.
            for lifetime in [Duration.seconds(31 * 24 * 3600), .seconds(59), .zero] {
                do throws(ServiceError) {
                    _ = try await signIn.openSession(
                        user: "cw", password: "password-of-cw", source: "192.0.2.7", lifetime: lifetime)
                    Issue.record("a lifetime of \(lifetime) was accepted")
                } catch {
                    guard case .badArgument(let argument, _) = error, argument == "lifetime" else {
                        Issue.record("\(error)")
                        continue
                    }
                }
            }
            #expect(try await fixture.audit(.userSignIn).isEmpty)
        }
    }

    @Test("the network's attempt budget of authenticate applies to openSession")
    func throttled() async throws {
        try await ServiceFixture.with(
            signInLimits: SignInLimits(attemptsPerMinutePerNetwork: 2), accounts: Self.accounts
        ) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            #expect(try await signIn.authenticate(user: "cw", password: "guess one", source: "203.0.113.5") == .failed)
            #expect(
                try await signIn.openSession(user: "cw", password: "guess two", source: "203.0.113.6", lifetime: nil)
                    == .failed)
            #expect(
                try await signIn.openSession(
                    user: "cw", password: "password-of-cw", source: "203.0.113.7", lifetime: nil)
                    == .locked)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions") == 0)
        }
    }

    @Test("the name's failures from an address throttle openSession as they throttle authenticate")
    func throttledName() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            // 5 failures are free for a name at an address; the 6th blocks that pair.
            for guess in 1...6 {
                #expect(
                    try await signIn.openSession(
                        user: "cw", password: "guess \(guess)", source: "192.0.2.50", lifetime: nil) == .failed)
            }
            #expect(
                try await signIn.openSession(
                    user: "cw", password: "password-of-cw", source: "192.0.2.50", lifetime: nil)
                    == .locked)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions") == 0)
            #expect(try await fixture.audit(.signInThrottled).isEmpty == false)
        }
    }

    @Test("an expired token is refused; sign-out ends a token at once, is audited, and cannot be repeated")
    func expiryAndSignOut() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            let expiring = try await fixture.open("cw", lifetime: .seconds(3600))
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM api_sessions WHERE expires_at - created_at = interval '1 hour'") == 1)
            _ = try await signIn.resume(token: expiring.token, source: "192.0.2.7")
            // The hour passes (moved by hand; no waiting in tests).
            try await fixture.execute(
                "UPDATE api_sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'"
            )
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: expiring.token, source: "192.0.2.7")
            }

            let session = try await fixture.open("cw")
            _ = try await signIn.resume(token: session.token, source: "192.0.2.7")
            try await signIn.closeSession(token: session.token, source: "192.0.2.8")
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: session.token, source: "192.0.2.7")
            }
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                try await signIn.closeSession(token: session.token, source: "192.0.2.8")
            }
            let closes = try await fixture.audit(.sessionClose)
            #expect(closes.count == 1)
            #expect(
                closes.first?.actor == "cw" && closes.first?.subject == "user:cw" && closes.first?.source == "192.0.2.8"
            )
            #expect(closes.first?.detail.hasPrefix("session ") == true)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions WHERE ended_at IS NOT NULL") == 1)
            #expect(try await fixture.tableText("audit_log").contains(session.token) == false)

            // The next sign-in removes the expired row; the ended one stays until it expires.
            _ = try await fixture.open("adm")
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions") == 2)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions WHERE expires_at < now()") == 0)
        }
    }

    @Test("locking the user, a new password, a new role and removal each end the user's tokens")
    func credentialsEndTokens() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            let users = fixture.services.users
            let admin = try await fixture.actor("adm")
            let table: PostgresQuery = "SELECT count(*) FROM api_sessions WHERE ended_at IS NULL"

            // A lock: the token and an actor resumed from it before stop; unlocking brings neither back.
            let beforeLock = try await fixture.open("cw")
            let lockedActor = try await signIn.resume(token: beforeLock.token, source: "192.0.2.7")
            #expect(try await fixture.count(table) == 1)
            _ = try await users.lock("cw", by: admin)
            #expect(try await fixture.count(table) == 0, "marked ended in the lock's transaction")
            await #expect(throws: ServiceError.sessionEnded(SessionEnd.reason)) {
                _ = try await users.list(organisation: nil, by: lockedActor)
            }
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: beforeLock.token, source: "192.0.2.7")
            }
            _ = try await users.unlock("cw", by: admin)
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: beforeLock.token, source: "192.0.2.7")
            }

            // A new password.
            let beforePassword = try await fixture.open("cw")
            _ = try await users.setPassword(of: "cw", to: "another long password", by: admin)
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: beforePassword.token, source: "192.0.2.7")
            }
            let password = "another long password"

            // A new role: no token keeps the rights of the old one.
            let beforeRole = try await fixture.open("cw", password: password)
            #expect(beforeRole.actor.role == .caseworker)
            _ = try await users.setRole(of: "cw", to: .supervisor, by: admin)
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: beforeRole.token, source: "192.0.2.7")
            }
            #expect(try await fixture.count(table) == 0)
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions WHERE ended_at IS NOT NULL") == 3)

            // A token opened after the changes works, with the new role.
            let after = try await fixture.open("cw", password: password)
            #expect(try await signIn.resume(token: after.token, source: "192.0.2.7").role == .supervisor)

            // Removal: the rows go with the user.
            _ = try await users.remove("cw", by: admin)
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: after.token, source: "192.0.2.7")
            }
            #expect(
                try await fixture.count("SELECT count(*) FROM api_sessions WHERE user_id NOT IN (SELECT id FROM users)")
                    == 0)
        }
    }

    @Test("forged and malformed tokens are refused; a malformed one without asking the database")
    func forgedAndMalformed() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let signIn = fixture.services.signIn
            let real = try await fixture.open("cw").token
            // Well formed, never issued.
            let forged = SessionToken.make().token
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: forged, source: "192.0.2.7")
            }
            var flipped = Array(real)
            flipped[10] = flipped[10] == "A" ? "B" : "A"
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: String(flipped), source: "192.0.2.7")
            }
            // The stored hash is no token either.
            let hashText = try await fixture.pool.withConnection { connection in
                try connection.query("SELECT translate(encode(token_hash, 'base64'), '+/=', '-_') FROM api_sessions")[0]
                    .decode(String.self, at: 0)
            }
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await signIn.resume(token: hashText, source: "192.0.2.7")
            }

            // On services whose database is gone, a malformed token is still refused as ended
            // (nothing asked), while a well-formed one reaches for the database and fails so.
            let pool = try PostgresPool(conninfo: fixture.conninfo, size: 1, logger: Logger(label: "test.offline"))
            await pool.shutdown()
            let offline = ApplicationServices.signIn(onStore: pool)
            for malformed in Self.malformed(real) {
                await #expect(throws: ServiceError.sessionEnded(Self.malformedText), "\(malformed)") {
                    _ = try await offline.resume(token: malformed, source: "192.0.2.7")
                }
                await #expect(throws: ServiceError.sessionEnded(Self.malformedText), "\(malformed)") {
                    try await offline.closeSession(token: malformed, source: "192.0.2.7")
                }
                await #expect(throws: ServiceError.sessionEnded(Self.malformedText), "\(malformed)") {
                    _ = try await signIn.resume(token: malformed, source: "192.0.2.7")
                }
            }
            do throws(ServiceError) {
                _ = try await offline.resume(token: real, source: "192.0.2.7")
                Issue.record("resumed without a database")
            } catch {
                guard case .unavailable = error else {
                    Issue.record("a well-formed token did not reach for the database: \(error)")
                    return
                }
            }
        }
    }

    @Test(
        "inside an organisation's scope (the casework role) the table cannot be read, and the trigger still ends tokens"
    )
    func hiddenFromCasework() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { (fixture: ServiceFixture) async throws in
            let opened = try await fixture.open("cw")
            let outcome = try await fixture.pool.withConnection { connection -> String in
                do {
                    return try connection.transaction { connection -> String in
                        _ = try OrganisationScope.enter(organisationNamed: "ngo-a", on: connection)
                        let role = try connection.query("SELECT current_user::text")[0].decode(String.self, at: 0)
                        do {
                            _ = try connection.query("SELECT count(*) FROM api_sessions")
                            return "\(role): readable"
                        } catch let error as PostgresError {
                            throw FixtureError(description: "\(role): \(error.serverError?.sqlState ?? "?")")
                        }
                    }
                } catch let error as FixtureError {
                    return error.description
                }
            }
            // 42501: insufficient privilege (the transaction is rolled back afterwards).
            #expect(outcome == "passage_casework: 42501")
            // A lock made inside a scope still ends the user's tokens (the trigger's own rights).
            try await fixture.pool.transaction { connection in
                _ = try OrganisationScope.enter(organisationNamed: "ngo-a", on: connection)
                try connection.execute("UPDATE users SET disabled = true WHERE name = 'cw'")
            }
            #expect(try await fixture.count("SELECT count(*) FROM api_sessions WHERE ended_at IS NOT NULL") == 1)
            await #expect(throws: ServiceError.sessionEnded(Self.ended)) {
                _ = try await fixture.services.signIn.resume(token: opened.token, source: "192.0.2.7")
            }
        }
    }

    static let ended =
        "session ended: the token is unknown, expired or signed out, or the account was locked, removed or changed; sign in again"
    static let malformedText = "session ended: the token is not a session token; sign in again"

    /// Not tokens: empty, short, long, padded, the wrong alphabet, a non-canonical last character.
    static func malformed(_ real: String) -> [String] {
        var lastChanged = Array(real)
        // 43 characters carry 258 bits; the last one's two low bits must be zero for 32 bytes.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let index = alphabet.firstIndex(of: lastChanged[42])!
        lastChanged[42] = alphabet[(index & ~3) + 1]
        return [
            "", "abc", String(real.dropLast()), real + "A", real + "=", String(real.dropLast()) + "+",
            String(real.dropLast()) + "/", String(real.dropLast()) + "é", " " + String(real.dropFirst()),
            String(lastChanged),
        ]
    }

    static func bytes(of token: String) -> [UInt8]? {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        return Data(base64Encoded: base64).map(Array.init)
    }
}

extension ServiceFixture {
    /// Opens a token session for `name` with its fixture password.
    func open(
        _ name: String, password: String? = nil, source: String = "192.0.2.7", lifetime: Duration? = nil
    ) async throws -> OpenedSession {
        let result = try await services.signIn.openSession(
            user: name, password: password ?? "password-of-\(name)", source: source, lifetime: lifetime)
        guard case .opened(let opened) = result else {
            throw FixtureError(description: "\(name) could not open a session: \(result)")
        }
        return opened
    }

    /// Every row of `table` as text (bytea as hex), for looking for what must not be there.
    func tableText(_ table: String) async throws -> String {
        try await pool.withConnection { connection in
            try connection.query("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \(identifier: table) t")[0]
                .decode(String.self, at: 0)
        }
    }

    func execute(_ sql: PostgresQuery) async throws {
        _ = try await pool.withConnection { try $0.execute(sql) }
    }
}
