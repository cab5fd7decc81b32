import HummingbirdBcrypt

/// bcrypt password hashes, made and checked in this process (HummingbirdBcrypt, OpenBSD's
/// bcrypt), so a password never travels to PostgreSQL: not as a bound parameter, not into a
/// statement log (Docs/security.md "5. Secrets stay in the application"). The database stores
/// and returns the hash only.
///
/// Hashes pgcrypto made before (`crypt(…, gen_salt('bf', 10))`, `$2a$10$…`) are the same
/// bcrypt and verify unchanged, so existing passwords need no migration.
///
/// bcrypt is deliberately slow (about 50–100 ms at cost 10): callers run it on the database
/// pool's threads or another blocking-work thread, never on a NIO event loop.
enum PasswordHash {
    /// bcrypt work factor, as pgcrypto's hashes had it.
    static let cost: UInt8 = 10

    /// A new salted hash of `password`.
    static func make(_ password: String) throws -> String {
        // The C function reads a NUL-terminated string: a NUL would end the password early.
        guard !password.utf8.contains(0) else {
            throw StoreError.invalid(argument: "password", message: "password must not contain a NUL character")
        }
        return Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` is the one `hash` was made from. A malformed hash matches nothing.
    static func matches(_ password: String, hash: String) -> Bool {
        guard !password.utf8.contains(0) else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// The work a known user's check costs, spent on an unknown user name, so the reply's
    /// timing does not tell which names exist. The hash matches no password anyone types.
    static func spendCheckWithoutUser(_ password: String) {
        _ = matches(password, hash: decoy)
    }

    /// Made once per process, with the same cost as real hashes.
    private static let decoy = Bcrypt.hash("no user has this password: \(UInt64.random(in: .min ... .max))", cost: cost)
}
