import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Issue 16, items 4 and 6 (failed sign-ins): throttling per (name, address) and per network
/// instead of a lock of the account from everywhere, one answer for known and unknown names,
/// no silent cut at bcrypt's 72 bytes, and an audit entry for every failure.
@Suite("Sign-in throttling, long passwords and failure audit")
struct SignInThrottleTests {
    static let throttle = SignInThrottle(
        freeFailuresPerUserAndAddress: 5, freeFailuresPerPrefix: 30, firstDelay: .seconds(3_600))

    @Test(
        "five wrong passwords from one address throttle that name there only: the account still signs in from another network"
    )
    func noLockFromEverywhere() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore(throttle: Self.throttle)
        let account = try users.add(name: "admin1", role: .admin, organisation: 1, password: "the admin's own", on: db)
        for _ in 0..<6 {
            #expect(
                try users.signIn(name: "admin1", password: "a stranger's guess", source: "203.0.113.9", on: db)
                    == .failed)
        }
        guard
            case .throttled = try users.signIn(
                name: "admin1", password: "the admin's own", source: "203.0.113.9", on: db)
        else {
            Issue.record("the guessing address was not throttled")
            return
        }
        // The administrator, elsewhere, is not locked out by the stranger.
        #expect(
            try users.signIn(name: "admin1", password: "the admin's own", source: "198.51.100.20", on: db)
                == .signedIn(account))
    }

    @Test("rotating addresses inside one network (127.x, a /24, a /64) meets the network's throttle")
    func rotatingAddresses() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore(
            throttle: SignInThrottle(
                freeFailuresPerUserAndAddress: 5, freeFailuresPerPrefix: 10, firstDelay: .seconds(3_600)))
        let account = try users.add(
            name: "target", role: .caseworker, organisation: 1, password: "correct horse", on: db)
        for network in [
            (0..<12).map { "127.\($0).\($0 * 7 % 256).\($0 + 1)" },
            (0..<12).map { "192.0.2.\($0 + 1)" },
            (0..<12).map { "2001:db8:1:2::\(String($0 + 1, radix: 16))" },
        ] {
            // One guess per address: never five from one address, but eleven from the network.
            for (index, address) in network.enumerated() where index < 11 {
                #expect(
                    try users.signIn(name: "target", password: "guess \(index)", source: address, on: db) == .failed)
            }
            guard
                case .throttled = try users.signIn(
                    name: "target", password: "correct horse", source: network[11], on: db)
            else {
                Issue.record("a fresh address of the same network was not throttled: \(network[11])")
                return
            }
        }
        #expect(AddressPrefix.of("127.0.0.1") == AddressPrefix.of("127.200.3.4"))
        #expect(AddressPrefix.of("::1") == "loopback")
        #expect(AddressPrefix.of("::ffff:192.0.2.7") == "192.0.2.0/24")
        #expect(AddressPrefix.of("2001:db8:1:2::9") == AddressPrefix.of("2001:db8:1:2:ffff::1"))
        #expect(AddressPrefix.of("2001:db8:1:3::9") != AddressPrefix.of("2001:db8:1:2::9"))
        // Another network is not held back by those.
        #expect(
            try users.signIn(name: "target", password: "correct horse", source: "198.51.100.1", on: db)
                == .signedIn(account))
    }

    @Test("a known and an unknown name get the same outcomes, step by step, and a locked account answers like them")
    func sameOutcomeForUnknownNames() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore(throttle: Self.throttle)
        _ = try users.add(name: "known", role: .caseworker, organisation: 1, password: "known's password", on: db)
        _ = try users.add(name: "locked-one", role: .caseworker, organisation: 1, password: "locked's password", on: db)
        try users.lock(name: "locked-one", on: db)
        func outcomes(_ name: String, password: String, source: String) throws -> [String] {
            try (0..<7).map { _ in
                switch try users.signIn(name: name, password: password, source: source, on: db) {
                case .signedIn: "signed in"
                case .failed: "failed"
                case .throttled: "throttled"
                }
            }
        }
        let known = try outcomes("known", password: "wrong one", source: "192.0.2.10")
        let unknown = try outcomes("unknown", password: "wrong one", source: "192.0.2.11")
        let locked = try outcomes("locked-one", password: "locked's password", source: "192.0.2.12")
        #expect(known == ["failed", "failed", "failed", "failed", "failed", "failed", "throttled"])
        #expect(unknown == known)
        #expect(locked == known)
    }

    @Test("the delays grow: 1, 2, 4 times the first")
    func growingDelays() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore(
            throttle: SignInThrottle(
                freeFailuresPerUserAndAddress: 1, freeFailuresPerPrefix: 100, firstDelay: .milliseconds(200)))
        _ = try users.add(name: "slow", role: .caseworker, organisation: 1, password: "the real one", on: db)
        var delays: [Double] = []
        #expect(try users.signIn(name: "slow", password: "guess", source: "192.0.2.30", on: db) == .failed)
        for _ in 0..<3 {
            #expect(try users.signIn(name: "slow", password: "guess", source: "192.0.2.30", on: db) == .failed)
            let row = try db.query(
                """
                SELECT extract(epoch FROM blocked_until - last_failure)::float8, extract(epoch FROM blocked_until - now())::float8
                  FROM sign_in_throttle WHERE key = 'user:slow@192.0.2.30'
                """)[0]
            let (delay, left) = try row.decode((Double, Double).self)
            delays.append(delay)
            try await Task.sleep(for: .seconds(max(0, left) + 0.05))
        }
        #expect(delays.map { ($0 * 1000).rounded() } == [200, 400, 800])
    }

    @Test("passwords over 72 bytes are refused when set, and a longer password never matches its first 72 bytes")
    func seventyTwoBytes() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore()
        let exactly72 = String(repeating: "p", count: 72)
        let account = try users.add(name: "long", role: .caseworker, organisation: 1, password: exactly72, on: db)
        // bcrypt would cut these to the stored password and let them in.
        #expect(
            try users.signIn(name: "long", password: exactly72 + "anything", source: "192.0.2.40", on: db) == .failed)
        #expect(try users.signIn(name: "long", password: exactly72, source: "192.0.2.40", on: db) == .signedIn(account))
        #expect(throws: StoreError.self) {
            try users.add(name: "longer", role: .caseworker, organisation: 1, password: exactly72 + "x", on: db)
        }
        #expect(throws: StoreError.self) { try users.setPassword(name: "long", password: exactly72 + "x", on: db) }
        // Bytes, not characters: 25 three-byte characters are 75 bytes.
        do {
            try users.setPassword(name: "long", password: String(repeating: "€", count: 25), on: db)
            Issue.record("a 75-byte password was accepted")
        } catch let error as StoreError {
            #expect(error.description.contains("72 bytes"), "\(error)")
        }
    }

    @Test("every failed sign-in is audited with the name as given, the address and a reason, never the password")
    func failuresAudited() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore(throttle: SignInThrottle(freeFailuresPerUserAndAddress: 2, firstDelay: .seconds(3_600)))
        _ = try users.add(name: "audited", role: .caseworker, organisation: 1, password: "the right password", on: db)
        _ = try users.signIn(name: "audited", password: "secret-guess-1", source: "192.0.2.50", on: db)
        _ = try users.signIn(name: "ghost", password: "secret-guess-2", source: "192.0.2.51", on: db)
        _ = try users.signIn(
            name: "Secret Guess Typed As Name", password: "secret-guess-3", source: "192.0.2.52", on: db)
        _ = try users.signIn(name: "audited", password: String(repeating: "z", count: 80), source: "192.0.2.50", on: db)
        _ = try users.signIn(name: "audited", password: "secret-guess-4", source: "192.0.2.50", on: db)
        _ = try users.signIn(name: "audited", password: "the right password", source: "192.0.2.50", on: db)
        let entries = try AuditLog.tail(20, on: db).filter { $0.action == "user.sign_in_failed" }
        #expect(
            entries.map(\.subject) == [
                "user:audited", "user:ghost", "user:(not a user name)", "user:audited", "user:audited", "user:audited",
            ])
        #expect(
            entries.map(\.source) == [
                "192.0.2.50", "192.0.2.51", "192.0.2.52", "192.0.2.50", "192.0.2.50", "192.0.2.50",
            ])
        #expect(
            entries.map(\.detail) == [
                "wrong password", "unknown user", "unknown user", "password longer than 72 bytes",
                "wrong password", "refused unchecked: too many failures",
            ])
        #expect(entries.allSatisfy { $0.actor == "anonymous" })
        let everything = try AuditLog.tail(50, on: db).map { "\($0.actor) \($0.subject) \($0.detail)" }.joined(
            separator: "\n")
        #expect(
            !everything.contains("secret-guess") && !everything.contains("Secret Guess") && !everything.contains("zzzz")
        )
        #expect(try AuditLog.verify(on: db) == .intact(entries: try AuditLog.tail(50, on: db).count))
    }
}

@Suite("Credentials epoch: what ends a session, in the database")
struct CredentialsEpochTests {
    @Test(
        "a lock, a new password, a new role, a removal and a change by hand in SQL each end the session; an unlock or a list does not"
    )
    func epochMoves() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let users = UserStore()
        func signedIn(_ name: String) throws -> (userID: Int64, epoch: Int64) {
            let account = try users.find(name: name, on: db)
            return (account.id, account.credentialsEpoch)
        }
        func ended(_ session: (userID: Int64, epoch: Int64)) throws -> Bool {
            !(try SessionCheck.ended([session], on: db)).isEmpty
        }
        func checkFails(_ session: (userID: Int64, epoch: Int64)) throws -> Bool {
            do {
                try db.transaction { connection in
                    try SessionCheck.enqueue(userID: session.userID, epoch: session.epoch, on: connection)
                    _ = try connection.query("SELECT 1")
                }
                return false
            } catch {
                return SessionCheck.isSessionEnded(error)
            }
        }
        let changes: [(String, (String) throws -> Void)] = [
            ("lock", { try users.lock(name: $0, on: db) }),
            ("password", { try users.setPassword(name: $0, password: "a whole new one", on: db) }),
            ("role", { try users.setRole(name: $0, role: .supervisor, on: db) }),
            ("removal", { try users.remove(name: $0, on: db) }),
            (
                "by hand",
                {
                    _ = try db.execute(
                        "UPDATE users SET organisation_id = organisation_id, role = 'analyst' WHERE name = \($0)")
                }
            ),
        ]
        for (index, (label, change)) in changes.enumerated() {
            let name = "epoch\(index)"
            _ = try users.add(name: name, role: .caseworker, organisation: 1, password: "first password", on: db)
            let session = try signedIn(name)
            #expect(try !ended(session) && !checkFails(session), "\(label): ended before the change")
            try users.unlock(name: name, on: db)
            _ = try users.list(on: db)
            #expect(try !ended(session), "\(label): an unlock or a list ended the session")
            try change(name)
            #expect(try ended(session), "\(label): the session outlived the change")
            #expect(try checkFails(session), "\(label): the transaction check let the session through")
        }
    }
}
