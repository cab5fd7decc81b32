import Foundation
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Passwords: bcrypt in the application")
struct PasswordHashTests {
    @Test("a hash pgcrypto made before verifies here unchanged, so existing passwords need no migration")
    func pgcryptoHashesStillVerify() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let old = try db.query("SELECT crypt(\("an old pgcrypto password"), gen_salt('bf', 10))")[0].decode(String.self)
        #expect(old.hasPrefix("$2a$10$"))
        #expect(PasswordHash.matches("an old pgcrypto password", hash: old))
        #expect(!PasswordHash.matches("an old pgcrypto passworD", hash: old))
        #expect(!PasswordHash.matches("an old pgcrypto password ", hash: old))
        // A user whose hash pgcrypto made signs in through UserStore as before.
        try db.execute(
            """
            INSERT INTO users (name, role, organisation_id, password_hash)
            VALUES ('veteran', 'caseworker', 1, crypt(\("veteran's password"), gen_salt('bf', 10)))
            """)
        let users = UserStore()
        let veteran = try users.find(name: "veteran", on: db)
        #expect(
            try users.signIn(name: "veteran", password: "veteran's password", source: "127.0.0.1", on: db)
                == .signedIn(veteran))
        #expect(try users.signIn(name: "veteran", password: "not the password", source: "127.0.0.1", on: db) == .failed)
    }

    @Test("a new hash is salted bcrypt at cost 10 and holds no trace of the password")
    func newHashes() throws {
        let first = try PasswordHash.make("correct horse battery")
        let second = try PasswordHash.make("correct horse battery")
        #expect(first.hasPrefix("$2b$10$") && first.count == 60)
        #expect(first != second)
        #expect(!first.contains("correct"))
        #expect(PasswordHash.matches("correct horse battery", hash: first))
        #expect(PasswordHash.matches("correct horse battery", hash: second))
        #expect(!PasswordHash.matches("correct horse batterz", hash: first))
    }

    @Test("a NUL in a password is refused, and a malformed hash matches nothing")
    func refusals() throws {
        #expect(throws: StoreError.self) { try PasswordHash.make("before\u{0}after-anything") }
        let hash = try PasswordHash.make("before")
        #expect(!PasswordHash.matches("before\u{0}after", hash: hash))
        #expect(!PasswordHash.matches("before", hash: "not a hash"))
        #expect(!PasswordHash.matches("", hash: ""))
    }
}
